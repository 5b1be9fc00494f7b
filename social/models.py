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
