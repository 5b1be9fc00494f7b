"""The rules for profile fields, shared by the API serializers and the web forms."""

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

DISPLAY_NAME_MAX = 40
RETENTION_MIN_DAYS = 30
RETENTION_MAX_DAYS = 3650


def validate_display_name(value: str) -> None:
    if not 1 <= len(value) <= DISPLAY_NAME_MAX:
        raise ValidationError(f"Use 1 to {DISPLAY_NAME_MAX} characters.")
    if not value.isprintable():
        raise ValidationError("Use printable characters only.")


def validate_avatar_url(value: str) -> None:
    if value == "":
        return
    URLValidator(schemes=["https"], message="Use an https:// address.")(value)


@cache
def _timezone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone_name(value: str) -> None:
    # A set lookup, never ZoneInfo(value) on raw input: that would read paths from disk.
    if value not in _timezone_names():
        raise ValidationError("Use a time zone name such as Europe/Berlin.")


def validate_retention_days(value: int) -> None:
    if not RETENTION_MIN_DAYS <= value <= RETENTION_MAX_DAYS:
        raise ValidationError(f"Choose between {RETENTION_MIN_DAYS} and {RETENTION_MAX_DAYS} days.")
