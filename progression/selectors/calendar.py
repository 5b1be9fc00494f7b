"""The user's calendar: their timezone, their today, and how instants are written out."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

from accounts.models import User


def user_zone(*, user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def user_today(*, user: User) -> date:
    return timezone.now().astimezone(user_zone(user=user)).date()


def utc_today() -> date:
    return timezone.now().astimezone(UTC).date()


def iso(moment: datetime | None) -> str | None:
    """An instant as the contract writes it: ISO 8601 in UTC, milliseconds, with offset."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds") if moment else None
