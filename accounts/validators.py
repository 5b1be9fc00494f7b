"""The rules for profile fields, shared by the API serializers and the web forms."""

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

DISPLAY_NAME_MAX = 40
RETENTION_MIN_DAYS = 30
RETENTION_MAX_DAYS = 3650


def validate_display_name(value: str) -> None:
    if not isinstance(value, str):
        raise ValidationError("Must be a string.")
    if not 1 <= len(value) <= DISPLAY_NAME_MAX:
        raise ValidationError(f"Use 1 to {DISPLAY_NAME_MAX} characters.")
    if not value.isprintable():
        raise ValidationError("Use printable characters only.")


def validate_avatar_url(value: str) -> None:
    if not isinstance(value, str):
        raise ValidationError("Must be a string.")
    if value == "":
        return
    URLValidator(schemes=["https"], message="Use an https:// address.")(value)


# In the system's zone files but not places: the host's own zone, tzdata's placeholder, and
# the rules file. IANA names only, the same answer on every machine.
NOT_TIME_ZONES = frozenset({"localtime", "Factory", "posixrules"})


@cache
def _timezone_names() -> frozenset[str]:
    names = zoneinfo.available_timezones() - NOT_TIME_ZONES
    return frozenset(name for name in names if not name.startswith(("posix/", "right/")))


def timezone_is_known(value: object) -> bool:
    """An IANA time zone name such as Europe/Berlin (the one rule for every app)."""
    return isinstance(value, str) and value in _timezone_names()


def validate_timezone_name(value: str) -> None:
    # A set lookup, never ZoneInfo(value) on raw input: that would read paths from disk.
    if not timezone_is_known(value):
        raise ValidationError("Use a time zone name such as Europe/Berlin.")


def validate_retention_days(value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("Must be a whole number (a JSON integer).")
    if not RETENTION_MIN_DAYS <= value <= RETENTION_MAX_DAYS:
        raise ValidationError(f"Choose between {RETENTION_MIN_DAYS} and {RETENTION_MAX_DAYS} days.")
