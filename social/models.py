"""Friends and community challenges (CONTRACT.md, "Leaderboards and friends", "Challenges").

A friendship is stored as two directed rows, one per side, written and removed together by
`social.services`. Every read asks "who are the friends of X": the friends leaderboard and a
challenge's `participants.friends` become one indexed `user = X` filter, with no OR over two
columns. The unique constraint keeps each direction once; the services keep the pair whole.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.utils.timezone import now


class FriendRequestStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class FriendRequest(models.Model):
    """One person asking another, by friend code, to be friends; answered once."""

    # Random ids in URLs (`/friends/requests/{id}/accept`): nothing to count or guess.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="friend_requests_sent"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="friend_requests_received"
    )
    status = models.CharField(
        max_length=10, choices=FriendRequestStatus.choices, default=FriendRequestStatus.PENDING
    )
    created_at = models.DateTimeField(default=now)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_user=F("to_user")), name="social_request_not_to_oneself"
            ),
            # One open question per pair, whichever of the two asked first.
            models.UniqueConstraint(
                Least("from_user", "to_user"),
                Greatest("from_user", "to_user"),
                condition=Q(status=FriendRequestStatus.PENDING),
                name="social_request_one_pending_per_pair",
            ),
        ]
        indexes = [models.Index(fields=["to_user", "status"], name="social_request_inbox")]

    def __str__(self) -> str:
        return f"{self.from_user} → {self.to_user} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == FriendRequestStatus.PENDING


class Friendship(models.Model):
    """`user` counts `friend` among their friends; the mirror row always exists beside it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="friendships"
    )
    friend = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "friend"], name="social_friendship_unique"),
            models.CheckConstraint(
                condition=~Q(user=F("friend")), name="social_friendship_not_with_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ♥ {self.friend}"


class ChallengeType(models.TextChoices):
    GLOBAL = "global", "Global"
    FRIENDS = "friends", "Friends"
    COMPANY = "company", "Company"
    CUSTOM = "custom", "Custom"


class GoalMetric(models.TextChoices):
    # The values are the contract's own words, sent to the client as they are.
    TOTAL_MINUTES = "totalMinutes", "Total minutes"
    STREAK = "streak", "Streak"
    SESSIONS = "sessions", "Sessions"
    CONSISTENCY = "consistency", "Consistency"


class ChallengeVisibility(models.TextChoices):
    PUBLIC = "public", "Public"
    FRIENDS = "friends", "Friends"
    PRIVATE = "private", "Private"


class Challenge(models.Model):
    """A shared goal over a span of days; progress is computed from synced days, never sent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=80)
    description = models.TextField(max_length=500, blank=True)
    type = models.CharField(max_length=10, choices=ChallengeType.choices)
    goal_metric = models.CharField(max_length=16, choices=GoalMetric.choices)
    goal_target = models.PositiveIntegerField()
    duration_days = models.PositiveIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reward_xp = models.PositiveIntegerField(default=0)
    reward_badge_id = models.CharField(max_length=64, blank=True)
    visibility = models.CharField(
        max_length=10, choices=ChallengeVisibility.choices, default=ChallengeVisibility.PUBLIC
    )
    # Kept when the creator's account is erased: the others are still taking part.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="challenges_created",
    )
    created_at = models.DateTimeField(default=now)
    # A company challenge belongs to the verified work domain of whoever created it.
    company_domain = models.CharField(max_length=253, blank=True)
    # Staff hid it (moderation): nobody sees it any more, as if it were not there.
    hidden_at = models.DateTimeField(null=True, blank=True)
    # Set once, by the job that closes it after `ends_at` and gives the rewards.
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goal_target__gt=0), name="social_challenge_target_positive"
            ),
            models.CheckConstraint(
                condition=Q(duration_days__gt=0), name="social_challenge_duration_positive"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="social_challenge_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["type", "visibility", "-starts_at"], name="social_challenge_list"),
            models.Index(fields=["created_by", "created_at"], name="social_challenge_creator"),
            models.Index(
                fields=["ends_at"],
                condition=Q(closed_at__isnull=True),
                name="social_challenge_to_close",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open_at(self, moment) -> bool:
        return moment < self.ends_at


class ChallengeParticipation(models.Model):
    """One user taking part in one challenge; leaving keeps the row, joining again reopens it."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="challenge_participations"
    )
    joined_at = models.DateTimeField(default=now)
    left_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    rewarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "user"], name="social_participation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.challenge}"

    @property
    def is_active(self) -> bool:
        return self.left_at is None


class Block(models.Model):
    """`blocker` refuses `blocked`: their requests are answered as if the code did not exist."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="social_block_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} blocked {self.blocked}"


class Pseudonym(models.Model):
    """The `Anonymous_NNNN` a user shows as: random, unique while the user exists.

    Not derived from the id or friend code; erased with the account (cascade), so a number is
    only free again once its user is gone. Four digits while they last, then five, and so on.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    number = models.CharField(max_length=12, unique=True)

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"Anonymous_{self.number}"


class BoardBan(models.Model):
    """Staff keep a user off every leaderboard (and challenge board) while the row exists."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True)
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"ban of {self.user}"


class Cheer(models.Model):
    """One participant cheering another on in a challenge; at most ten sent a day."""

    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cheers_sent"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="cheers")
    local_date = models.DateField()
    created_at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["from_user", "local_date"], name="social_cheer_daily")]

    def __str__(self) -> str:
        return f"{self.from_user} cheered {self.to_user}"


class ReportKind(models.TextChoices):
    CHALLENGE = "challenge", "Challenge"
    DISPLAY_NAME = "displayName", "Display name"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class Report(models.Model):
    """Something a user asked staff to look at; never shown to the reported user."""

    kind = models.CharField(max_length=16, choices=ReportKind.choices)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    challenge = models.ForeignKey(
        Challenge, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reported_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The name as it read when reported: staff judge what was seen, even if it changes later.
    reported_name = models.CharField(max_length=80, blank=True)
    reason = models.CharField(max_length=500)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="social_report_queue")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} report ({self.status})"


class ModerationActionKind(models.TextChoices):
    HIDE_CHALLENGE = "hide_challenge", "Hid the challenge"
    RESET_DISPLAY_NAME = "reset_display_name", "Reset the display name"
    BAN = "ban", "Banned from leaderboards"
    UNBAN = "unban", "Lifted the leaderboard ban"
    RESOLVE = "resolve", "Resolved"


class ModerationAction(models.Model):
    """One thing staff did, with who and when; shown on the report it answered."""

    kind = models.CharField(max_length=24, choices=ModerationActionKind.choices)
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    challenge = models.ForeignKey(
        Challenge, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.staff} at {self.created_at:%Y-%m-%d %H:%M}"
