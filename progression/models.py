"""What the server keeps of a user's practice: per-day counters per source, never session logs.

A *source* is one device of the account. History read from the extension's export belongs to
the device whose sessions it lists (the first device that imported them): importing the file
again from any device merges into that same source, and the device's own later syncs of the
same days merge with it by maximum instead of counting twice. (`device` NULL was the account's
imported history in the first design; nothing writes it any more.)
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.timezone import now


class DeviceDay(models.Model):
    """One source's own counters for one local day; merged by field-wise maximum."""

    # Denormalised from the device so a user's sums and streaks read one index.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    device = models.ForeignKey(
        "accounts.Device", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    date = models.DateField()
    xp = models.PositiveIntegerField(default=0)
    sessions = models.PositiveIntegerField(default=0)
    minutes = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # NULLS NOT DISTINCT: the imported history (device NULL) has one row per day too.
            models.UniqueConstraint(
                fields=["user", "device", "date"],
                name="progression_day_unique_per_source",
                nulls_distinct=False,
            ),
        ]
        indexes = [models.Index(fields=["user", "date"], name="progression_day_user_date")]
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date}: {self.xp} XP, {self.sessions} sessions, {self.minutes} min"


class DeviceBaseline(models.Model):
    """One source's progress that no kept day explains.

    `xp`, `sessions`, `minutes` are what the source sent as its baseline (maximum-merged);
    `folded_*` are days past the retention horizon added here (summed), and `folded_through`
    is the last day folded: a day up to it that arrives again is ignored.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    device = models.ForeignKey(
        "accounts.Device", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    xp = models.PositiveBigIntegerField(default=0)
    sessions = models.PositiveBigIntegerField(default=0)
    minutes = models.PositiveBigIntegerField(default=0)
    folded_xp = models.PositiveBigIntegerField(default=0)
    folded_sessions = models.PositiveBigIntegerField(default=0)
    folded_minutes = models.PositiveBigIntegerField(default=0)
    folded_through = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "device"],
                name="progression_baseline_unique_per_source",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"baseline {self.xp + self.folded_xp} XP"


class Unlock(models.Model):
    """Grow-only sets: achievements, patterns, presets and completed challenge ids, as sent."""

    class Kind(models.TextChoices):
        ACHIEVEMENT = "achievement"
        PATTERN = "pattern"
        PRESET = "preset"
        CHALLENGE = "challenge"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "key"], name="progression_unlock_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.key}"


class SyncState(models.Model):
    """Per-user sync bookkeeping; its row is the lock that serialises a user's writes."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    sync_version = models.PositiveBigIntegerField(default=0)
    last_modified = models.DateTimeField(default=now)
    preferences_value = models.JSONField(null=True, blank=True)
    preferences_modified_at = models.DateTimeField(null=True, blank=True)
    # The retention horizon the user's days were last folded at: a later horizon means fold.
    folded_horizon = models.DateField(null=True, blank=True)
    # Streak facts that survive folding: the earliest active day, the longest run seen, and
    # the run that reached the last folded day (so a streak crossing the horizon keeps counting).
    first_active_date = models.DateField(null=True, blank=True)
    longest_streak_folded = models.PositiveIntegerField(default=0)
    streak_carry_end = models.DateField(null=True, blank=True)
    streak_carry_length = models.PositiveIntegerField(default=0)
    # The highest level `level_reached` was announced for (0: not known yet, set silently).
    level_announced = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"sync v{self.sync_version}"


class ServerAward(models.Model):
    """XP the server itself awards (challenge rewards), added to the derived total."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    xp = models.PositiveIntegerField()
    # What the award is for, unique per user so an award is granted once (e.g. "challenge:<id>").
    reason = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "reason"], name="progression_award_once"),
        ]

    def __str__(self) -> str:
        return f"{self.xp} XP for {self.reason}"


class ImportedSession(models.Model):
    """A session already counted from an export; only a hash of its id is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=64)
    # The source the session counts in: the device that imported it first.
    device = models.ForeignKey(
        "accounts.Device", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "session_key"], name="progression_imported_session_once"
            ),
        ]

    def __str__(self) -> str:
        return f"imported session {self.session_key[:12]}"


class SyncFlag(models.Model):
    """Stored progress that looks unlike the real client: kept, but counted nowhere until cleared.

    A `day` flag names a date whose XP is far above the user's own recent median; a `baseline`
    flag names the device whose baseline claims more than the span it covers explains. Either
    way the XP stays in the user's own totals and counts on no leaderboard and in no challenge
    until staff clear the flag.
    """

    class Kind(models.TextChoices):
        DAY = "day"
        BASELINE = "baseline"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.DAY)
    date = models.DateField(null=True, blank=True)  # the flagged day (day flags)
    device = models.ForeignKey(  # the baseline's source (baseline flags)
        "accounts.Device", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=200)
    # The day's XP or the baseline's, and what the rule compared it with.
    day_xp = models.PositiveBigIntegerField(default=0)
    median_xp = models.FloatField(default=0)
    created_at = models.DateTimeField(default=now)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "date"],
                condition=Q(cleared_at__isnull=True, kind="day"),
                name="progression_flag_open_once_per_day",
            ),
            models.UniqueConstraint(
                fields=["user", "device"],
                condition=Q(cleared_at__isnull=True, kind="baseline"),
                name="progression_flag_open_once_per_baseline",
                nulls_distinct=False,
            ),
        ]
        indexes = [models.Index(fields=["user", "cleared_at"], name="progression_flag_user_open")]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.date or self.kind}: {self.reason}"

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None
