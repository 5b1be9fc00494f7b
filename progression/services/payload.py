"""What a device sends, as the services take it (the API reads JSON into these)."""

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class DayCounters:
    date: date
    xp: int
    sessions: int
    minutes: int


@dataclass(frozen=True)
class Counters:
    xp: int
    sessions: int
    minutes: int


@dataclass(frozen=True)
class Preferences:
    value: dict
    modified_at: datetime


@dataclass(frozen=True)
class SyncPayload:
    days: tuple[DayCounters, ...] = ()
    baseline: Counters | None = None
    unlocks: tuple[tuple[str, str], ...] = field(default=())  # (Unlock.Kind, key)
    preferences: Preferences | None = None
    # The extension's first-seen date, which the baseline's span starts from when sent.
    first_seen: date | None = None


@dataclass(frozen=True)
class MergeOutcome:
    """What one call to progression_sync_merge() did."""

    changed: bool  # anything stored changed (the version was bumped)
    counters_changed: bool  # days or baselines changed (totals, boards, challenges may move)
    dates: list[date]  # local days whose counters changed (written or folded)
    folded: bool  # a fold ran (the retention horizon moved)
    level_announced: int  # the level last announced for the user (0: not known yet)
    # The first row of the statement the caller sent with the merge (`progress_merge`'s
    # `read_with`), read in the merge's transaction, after it.
    read_row: tuple | None = None


def _merged_days(days) -> list[DayCounters]:
    """One entry per date (field-wise maximum): an upsert may touch a row only once."""
    merged: dict[date, DayCounters] = {}
    for day in days:
        if not (day.xp or day.sessions or day.minutes):
            continue  # an empty day carries nothing to keep
        seen = merged.get(day.date)
        if seen is not None:
            day = DayCounters(
                day.date,
                max(day.xp, seen.xp),
                max(day.sessions, seen.sessions),
                max(day.minutes, seen.minutes),
            )
        merged[day.date] = day
    return sorted(merged.values(), key=lambda day: day.date)
