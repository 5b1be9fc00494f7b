"""What notifications keeps: each user's preferences, the reminders (one row per user and local
day, claimed before it is an email), event emails, and the in-app feed."""

import uuid
from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly (Mondays)"
    MONTHLY = "monthly", "Monthly (the 1st)"


class EmailType(models.TextChoices):
    """The kinds of email a user can switch on or off (CONTRACT.md `types`)."""

    STREAK_REMINDER = "streakReminder", "Streak notes"
    CHALLENGE_DEADLINE = "challengeDeadline", "Challenges ending soon"
    WEEKLY_PROGRESS = "weeklyProgress", "Progress summaries"
    FRIEND_ACTIVITY = "friendActivity", "Friend activity"
    LEVEL_UP_CELEBRATION = "levelUpCelebration", "Level-up celebrations"


class NotificationPreference(models.Model):
    """One row per user, made the first time they save; until then the defaults stand."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_enabled = models.BooleanField(default=False)
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.DAILY)
    time_of_day = models.TimeField(default=time(9, 0))
    # The zone reminders are planned in: the profile's when the row is made, then the user's.
    timezone = models.CharField(max_length=64, default="UTC")
    streak_reminder = models.BooleanField(default=True)
    challenge_deadline = models.BooleanField(default=True)
    weekly_progress = models.BooleanField(default=True)
    friend_activity = models.BooleanField(default=False)
    level_up_celebration = models.BooleanField(default=True)
    in_app_celebrate_achievements = models.BooleanField(default=True)
    in_app_show_daily_progress = models.BooleanField(default=True)
    in_app_highlight_new_features = models.BooleanField(default=False)
    in_app_friend_activity = models.BooleanField(default=True)
    # The last local day a planning pass made a reminder row for: the fast filter of the pass
    # (the unique row in Reminder stays the truth).
    last_planned_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["time_of_day"],
                name="notif_pref_email_on",
                condition=Q(email_enabled=True),
            )
        ]

    def __str__(self) -> str:
        return f"Notification preferences of {self.user_id}"

    def email_type_on(self, email_type: str) -> bool:
        return bool(getattr(self, TYPE_FIELDS[email_type]))


# The contract's names of `types` (plain strings) -> the model's fields.
TYPE_FIELDS = {
    EmailType.STREAK_REMINDER.value: "streak_reminder",
    EmailType.CHALLENGE_DEADLINE.value: "challenge_deadline",
    EmailType.WEEKLY_PROGRESS.value: "weekly_progress",
    EmailType.FRIEND_ACTIVITY.value: "friend_activity",
    EmailType.LEVEL_UP_CELEBRATION.value: "level_up_celebration",
}
IN_APP_FIELDS = {
    "celebrateAchievements": "in_app_celebrate_achievements",
    "showDailyProgress": "in_app_show_daily_progress",
    "highlightNewFeatures": "in_app_highlight_new_features",
    "friendActivity": "in_app_friend_activity",
}


class ReminderKind(models.TextChoices):
    """What an email is about; each belongs to one `EmailType` the user can switch off."""

    STREAK_CELEBRATION = "streak_celebration", "Streak celebration"
    GENTLE_RETURN = "gentle_return", "Gentle return"
    CHALLENGE_PROGRESS = "challenge_progress", "Challenge progress"
    PROGRESS_SUMMARY = "progress_summary", "Progress summary"
    LEVEL_UP = "level_up", "Level-up celebration"
    FRIEND_ACTIVITY = "friend_activity", "Friend activity"
    CHALLENGE_RESULT = "challenge_result", "Challenge result"
    TEST = "test", "Test email"


KIND_TYPES = {
    ReminderKind.STREAK_CELEBRATION: EmailType.STREAK_REMINDER,
    ReminderKind.GENTLE_RETURN: EmailType.STREAK_REMINDER,
    ReminderKind.CHALLENGE_PROGRESS: EmailType.CHALLENGE_DEADLINE,
    ReminderKind.PROGRESS_SUMMARY: EmailType.WEEKLY_PROGRESS,
    ReminderKind.LEVEL_UP: EmailType.LEVEL_UP_CELEBRATION,
    ReminderKind.FRIEND_ACTIVITY: EmailType.FRIEND_ACTIVITY,
    ReminderKind.CHALLENGE_RESULT: EmailType.CHALLENGE_DEADLINE,
}


class ReminderStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    SENDING = "sending", "Sending"
    RETRYING = "retrying", "Waiting to retry"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Nothing to send"
    FAILED = "failed", "Failed"


class Reminder(models.Model):
    """One email, as a row before it is sent.

    A planned reminder is keyed by (user, local_date) with `event_key` empty: at most one per
    user and local day. An event email (a level reached, a friend's news) is keyed by
    (user, event_key). Either way a sender claims the row with a conditional UPDATE before
    sending, so nothing is sent twice.
    """

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    local_date = models.DateField()
    event_key = models.CharField(max_length=120, blank=True, default="")
    kind = models.CharField(max_length=24, choices=ReminderKind.choices, blank=True)
    status = models.CharField(
        max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PLANNED
    )
    # Numbers an event carried (a level, a friend's name), read when the email is written.
    payload = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "local_date"],
                condition=Q(event_key=""),
                name="notif_one_reminder_per_local_day",
            ),
            models.UniqueConstraint(
                fields=["user", "event_key"],
                condition=~Q(event_key=""),
                name="notif_one_email_per_event",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "claimed_at"],
                name="notif_reminder_unfinished",
                condition=Q(status__in=["planned", "sending", "retrying"]),
            )
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind or 'reminder'} for {self.user_id} on {self.local_date}"


class Notification(models.Model):
    """An item of the in-app feed; `key` makes an event arriving twice one item."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=24, choices=ReminderKind.choices)
    key = models.CharField(max_length=120)
    title = models.CharField(max_length=120)
    body = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notif_one_item_per_event")
        ]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="notif_feed")]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
