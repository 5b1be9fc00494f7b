"""Writing a user's notification preferences: all the changes, or none when one is wrong."""

import re
from collections.abc import Mapping
from datetime import time
from typing import Any

from django.db import connection, transaction

from accounts.models import User
from accounts.selectors import user_email_verified
from accounts.validators import timezone_is_known
from breathmaster.api.errors import ApplicationError
from notifications.models import IN_APP_FIELDS, TYPE_FIELDS, Frequency, NotificationPreference
from notifications.selectors import preference_defaults

TIME_OF_DAY = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
UNSUBSCRIBE_ALL = "all"


def timezone_known(name: str) -> bool:
    """An IANA name by accounts' one rule, that PostgreSQL (which plans in it) knows too."""
    if not timezone_is_known(name):
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_timezone_names WHERE name = %s", [name])
        return cursor.fetchone()[0] > 0


def _clean_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("Use true or false.")
    return value


def _clean_frequency(value: Any) -> str:
    if value not in Frequency.values:
        raise ValueError("Choose daily, weekly or monthly.")
    return value


def _clean_time(value: Any) -> time:
    match = TIME_OF_DAY.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError("Use a time of day such as 09:00 (24-hour HH:MM).")
    return time(int(match[1]), int(match[2]))


def _clean_timezone(value: Any) -> str:
    if not timezone_known(value):
        raise ValueError("Use a time zone name such as Europe/Berlin.")
    return value


EMAIL_FIELDS = {
    "enabled": ("email_enabled", _clean_bool),
    "frequency": ("frequency", _clean_frequency),
    "timeOfDay": ("time_of_day", _clean_time),
    "timezone": ("timezone", _clean_timezone),
}


def _clean_section(section: Any, rules: Mapping[str, tuple[str, Any]]) -> tuple[dict, Any]:
    """(model field -> cleaned value, problems keyed by the request's names) for one object."""
    if not isinstance(section, Mapping):
        return {}, ["Send an object."]
    cleaned: dict[str, Any] = {}
    problems: dict[str, Any] = {}
    for key, value in section.items():
        rule = rules.get(key)
        if rule is None:
            problems[key] = ["This field is not known."]
            continue
        field, clean = rule
        try:
            cleaned[field] = clean(value)
        except ValueError as error:
            problems[key] = [str(error)]
    return cleaned, problems


def _clean_email(section: Any) -> tuple[dict, Any]:
    if not isinstance(section, Mapping):
        return {}, ["Send an object."]
    email = dict(section)
    toggles = {name: (field, _clean_bool) for name, field in TYPE_FIELDS.items()}
    cleaned, problems = _clean_section(
        {k: v for k, v in email.items() if k != "types"}, EMAIL_FIELDS
    )
    if "types" in email:
        type_values, type_problems = _clean_section(email["types"], toggles)
        cleaned |= type_values
        if type_problems:
            problems["types"] = type_problems
    return cleaned, problems


def preference_changes_clean(*, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The request's camelCase changes as model fields; `ApplicationError` listing every
    problem (unknown names, a time like 25:99, an unknown zone) when one is wrong."""
    errors: dict[str, Any] = {}
    cleaned: dict[str, Any] = {}
    in_app = {name: (field, _clean_bool) for name, field in IN_APP_FIELDS.items()}
    for key, section in changes.items():
        if key == "email":
            values, problems = _clean_email(section)
        elif key == "inApp":
            values, problems = _clean_section(section, in_app)
        else:
            values, problems = {}, ["This field is not known."]
        cleaned |= values
        if problems:
            errors[key] = problems
    if errors:
        raise ApplicationError("Some fields need another look.", code="invalid", errors=errors)
    return cleaned


def _preference_locked(user: User) -> NotificationPreference:
    zone = preference_defaults(user=user).timezone
    # The planner's one statement reads every zone: only names PostgreSQL knows are stored.
    zone = zone if timezone_known(zone) else "UTC"
    NotificationPreference.objects.get_or_create(user=user, defaults={"timezone": zone})
    return NotificationPreference.objects.select_for_update().get(user=user)


def email_not_verified_error() -> ApplicationError:
    return ApplicationError(
        "Email reminders need a verified email address. Add or verify one first.",
        code="email_not_verified",
    )


@transaction.atomic
def preference_update(*, user: User, changes: Mapping[str, Any]) -> NotificationPreference:
    """Apply camelCase changes (`{email: {...}, inApp: {...}}`); all of them or none."""
    cleaned = preference_changes_clean(changes=changes)
    if cleaned.get("email_enabled") and not user_email_verified(user=user):
        raise email_not_verified_error()
    preference = _preference_locked(user)
    for field, value in cleaned.items():
        setattr(preference, field, value)
    if cleaned:
        preference.save(update_fields=[*cleaned, "updated_at"])
    return preference


@transaction.atomic
def preference_unsubscribe(*, user_id, email_type: str) -> None:
    """One-click unsubscribe: one kind of email off, or all email (`email_type` "all")."""
    preference = NotificationPreference.objects.select_for_update().filter(user_id=user_id).first()
    if preference is None:
        return
    field = "email_enabled" if email_type == UNSUBSCRIBE_ALL else TYPE_FIELDS.get(email_type)
    if field is None:
        raise ApplicationError("That unsubscribe link is not valid.", code="invalid_link")
    setattr(preference, field, False)
    preference.save(update_fields=[field, "updated_at"])
