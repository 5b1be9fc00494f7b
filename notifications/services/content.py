"""The one best reminder for a user's day, with their real numbers (the seed's order)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.utils import timezone

from accounts.models import User
from notifications.models import EmailType, Frequency, NotificationPreference, ReminderKind
from progression.selectors import STATE_DAYS
from progression.selectors.boards import counted_days, last_runs
from social.selectors import challenge_list, challenge_summary

STREAK_TO_CELEBRATE = 3
RETURN_WINDOW_DAYS = 7
CHALLENGE_SOON = timedelta(days=2)


@dataclass(frozen=True)
class ReminderContent:
    kind: str
    numbers: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Practice:
    """The user's recent practice as of a local day, from progression's derived state."""

    streak: int
    minutes_by_day: dict[str, int]
    active_days: frozenset[str]

    def minutes_between(self, first: date, last: date) -> int:
        return sum(
            m for d, m in self.minutes_by_day.items() if first.isoformat() <= d <= last.isoformat()
        )

    def active_between(self, first: date, last: date) -> int:
        return sum(1 for d in self.active_days if first.isoformat() <= d <= last.isoformat())


def _practice(days: list[dict], last_run: tuple[date, int] | None, local_date: date) -> Practice:
    first = local_date - timedelta(days=STATE_DAYS - 1)
    days = [day for day in days if first <= day["date"] <= local_date]
    # The latest run of active days is the streak while it reaches the day before.
    current = last_run is not None and last_run[0] >= local_date - timedelta(days=1)
    return Practice(
        streak=last_run[1] if current else 0,
        minutes_by_day={day["date"].isoformat(): day["minutes"] for day in days},
        active_days=frozenset(day["date"].isoformat() for day in days if day["sessions"] > 0),
    )


def practices_as_of(*, user_days: Iterable[tuple[UUID, date]]) -> dict[tuple[UUID, date], Practice]:
    """Each (user, local day)'s practice, for a whole batch in two reads: the days as boards
    and challenges count them (flagged days staff have not cleared left out) within the
    state's window, and each user's latest run of active days."""
    user_days = set(user_days)
    if not user_days:
        return {}
    user_ids = {user_id for user_id, _ in user_days}
    first = min(day for _, day in user_days) - timedelta(days=STATE_DAYS - 1)
    days = counted_days(user_ids=user_ids, first=first, last=max(day for _, day in user_days))
    runs = last_runs(user_ids=user_ids)
    return {
        (user_id, day): _practice(days.get(user_id, []), runs.get(user_id), day)
        for user_id, day in user_days
    }


def practice_as_of(*, user: User, local_date: date) -> Practice:
    return practices_as_of(user_days=[(user.pk, local_date)])[(user.pk, local_date)]


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _streak_celebration(practice: Practice, local_date: date) -> ReminderContent | None:
    if practice.streak < STREAK_TO_CELEBRATE:
        return None
    minutes = practice.minutes_between(_week_start(local_date), local_date)
    numbers = {"streak": practice.streak, "minutesThisWeek": minutes}
    return ReminderContent(ReminderKind.STREAK_CELEBRATION, numbers)


def _gentle_return(practice: Practice, local_date: date) -> ReminderContent | None:
    """Missed yesterday: practice the day before, none yesterday, none yet today."""
    yesterday = local_date - timedelta(days=1)
    if {local_date.isoformat(), yesterday.isoformat()} & practice.active_days:
        return None
    if (local_date - timedelta(days=2)).isoformat() not in practice.active_days:
        return None
    recent = practice.active_between(local_date - timedelta(days=RETURN_WINDOW_DAYS), yesterday)
    minutes = practice.minutes_between(_week_start(local_date), local_date)
    return ReminderContent(
        ReminderKind.GENTLE_RETURN, {"activeDaysLastWeek": recent, "minutesThisWeek": minutes}
    )


def _ends_in(remaining: timedelta) -> str:
    hours = int(remaining.total_seconds() // 3600)
    if hours < 24:
        return "later today" if hours < 12 else "within a day"
    return "in about two days" if hours >= 36 else "tomorrow"


def _challenge_ending_soon(user: User) -> ReminderContent | None:
    """A joined challenge that ends within two days and whose goal is not reached yet."""
    if not user.is_sync_enabled:
        return None  # challenges need sync (CONTRACT.md): nobody without it has joined one
    now = timezone.now()
    soon = challenge_list(user=user, type=None, status="active", joined=True).filter(
        ends_at__lte=now + CHALLENGE_SOON
    )
    for challenge in soon.order_by("ends_at"):
        progress = challenge_summary(challenge=challenge, viewer=user)["my_progress"]
        if progress is None or progress["completed"]:
            continue
        numbers = {
            "title": challenge.title,
            "endsIn": _ends_in(challenge.ends_at - now),
            **{key: progress[key] for key in ("current", "target", "percent")},
        }
        return ReminderContent(ReminderKind.CHALLENGE_PROGRESS, numbers)
    return None


def _summary_period(preference: NotificationPreference, local_date: date) -> tuple | None:
    """(first, last, label) of the period a summary looks back on, when one is due today."""
    if preference.frequency == Frequency.MONTHLY:
        if local_date.day != 1:
            return None
        last = local_date - timedelta(days=1)
        return last.replace(day=1), last, "month"
    if local_date.isoweekday() != 1:
        return None
    return local_date - timedelta(days=7), local_date - timedelta(days=1), "week"


def _progress_summary(
    practice: Practice, preference: NotificationPreference, local_date: date
) -> ReminderContent | None:
    period = _summary_period(preference, local_date)
    if period is None:
        return None
    first, last, label = period
    numbers = {
        "period": label,
        "minutes": practice.minutes_between(first, last),
        "activeDays": practice.active_between(first, last),
        "streak": practice.streak,
    }
    return ReminderContent(ReminderKind.PROGRESS_SUMMARY, numbers)


def reminder_content_choose(
    *,
    user: User,
    preference: NotificationPreference,
    local_date: date,
    practice: Practice | None = None,
) -> ReminderContent | None:
    """The seed's order: a streak of 3+ days, a gentle return after a quiet yesterday, a joined
    challenge ending soon, then the summary on the weekly (or monthly) day. Kinds the user
    switched off are passed over; None when there is nothing kind to say today. A sender
    passes the `practice` it read for its whole batch (`practices_as_of`)."""
    practice = practice or practice_as_of(user=user, local_date=local_date)
    if preference.email_type_on(EmailType.STREAK_REMINDER):
        for rule in (_streak_celebration, _gentle_return):
            content = rule(practice, local_date)
            if content:
                return content
    if preference.email_type_on(EmailType.CHALLENGE_DEADLINE):
        content = _challenge_ending_soon(user)
        if content:
            return content
    if preference.email_type_on(EmailType.WEEKLY_PROGRESS):
        return _progress_summary(practice, preference, local_date)
    return None
