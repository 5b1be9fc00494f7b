"""What a device sends, as the services take it (the API reads JSON into these)."""

import json
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


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


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
