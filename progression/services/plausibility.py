"""Checks that run before anything is written: what the real client cannot have sent."""

from collections.abc import Iterable
from datetime import date, timedelta

from breathmaster.api.errors import ApplicationError
from progression import rules
from progression.services.payload import DayCounters


def days_check_plausible(*, days: Iterable[DayCounters], today: date) -> None:
    """Refuse the whole request when one day is impossible for the real client."""
    for day in days:
        if day.date > today + timedelta(days=rules.FUTURE_DAYS_ALLOWED):
            raise ApplicationError(
                f"{day.date.isoformat()} has not happened yet in your timezone.",
                code="date_in_future",
                extra={"date": day.date.isoformat()},
            )
        if day.minutes > rules.MAX_MINUTES_PER_DAY:
            raise ApplicationError(
                f"{day.date.isoformat()} has more minutes than a day holds.",
                code="implausible_day",
                extra={"date": day.date.isoformat()},
            )
        if day.xp > rules.max_xp_for_day(day.minutes):
            raise ApplicationError(
                f"{day.date.isoformat()} has more XP than its minutes can earn.",
                code="implausible_day",
                extra={"date": day.date.isoformat()},
            )
