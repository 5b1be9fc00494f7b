"""Input and output shapes of the sync API (camelCase, written out field by field).

Inputs are strict: counters are JSON integers (never floats, booleans or strings), dates are
`YYYY-MM-DD`, times carry an offset. Unknown keys are ignored so newer clients keep working.
"""

import json
import re
from collections.abc import Mapping
from datetime import date, datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from progression.imports import parse_date_string
from progression.models import Unlock
from progression.services import Counters, DayCounters, Preferences, SyncPayload

MAX_COUNTER = 2_000_000_000
MAX_DAYS_PER_UPLOAD = 4000
MAX_SET_ITEMS = 1000
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Dates and times outside these years are client bugs, never practice (the extension is 2025's).
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": 2_000_000_000})
class StrictIntegerField(serializers.Field):
    default_error_messages = {
        "invalid": "Must be a whole number (a JSON integer).",
        "min_value": "Must not be negative.",
        "max_value": "This number is too large.",
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        if data < 0:
            self.fail("min_value")
        if data > MAX_COUNTER:
            self.fail("max_value")
        return data

    def to_representation(self, value):
        return value


@extend_schema_field({"type": "string", "minLength": 1, "maxLength": 128})
class StrictStringField(serializers.Field):
    default_error_messages = {
        "invalid": "Must be a string.",
        "blank": "Must not be empty.",
        "max_length": "Must be at most {max_length} characters.",
        "nul": "Must not contain NUL characters.",
    }

    def __init__(self, *, max_length: int, **kwargs):
        self.max_length = max_length
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if not data.strip():
            self.fail("blank")
        if len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        if "\x00" in data:
            self.fail("nul")
        return data

    def to_representation(self, value):
        return value


@extend_schema_field(OpenApiTypes.DATE)
class LocalDateField(serializers.Field):
    default_error_messages = {"invalid": "Must be a calendar day written YYYY-MM-DD."}

    def to_internal_value(self, data):
        if not isinstance(data, str) or not DATE_PATTERN.match(data):
            self.fail("invalid")
        try:
            day = date.fromisoformat(data)
        except ValueError:
            self.fail("invalid")
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            self.fail("invalid")
        return day

    def to_representation(self, value):
        return value.isoformat()


@extend_schema_field(OpenApiTypes.DATETIME)
class OffsetDateTimeField(serializers.Field):
    default_error_messages = {"invalid": "Must be an ISO 8601 time with an offset."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            moment = datetime.fromisoformat(data)
        except ValueError:
            self.fail("invalid")
        if moment.tzinfo is None or not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
            self.fail("invalid")
        return moment

    def to_representation(self, value):
        return value.isoformat()


class CountersSerializer(serializers.Serializer):
    xp = StrictIntegerField()
    sessions = StrictIntegerField()
    minutes = StrictIntegerField()


class DaySerializer(CountersSerializer):
    date = LocalDateField()


class BaselineSerializer(CountersSerializer):
    # The day the extension was first used: the baseline's span starts there (else at the
    # first day the server knows of). Optional.
    firstSeenDate = LocalDateField(required=False)


class ChallengesSerializer(serializers.Serializer):
    completed = serializers.ListField(
        child=StrictStringField(max_length=128), max_length=MAX_SET_ITEMS, required=False
    )


class PreferencesSerializer(serializers.Serializer):
    value = serializers.JSONField()
    modifiedAt = OffsetDateTimeField()

    def validate_value(self, value):
        return preferences_value_check(value)


def preferences_value_check(value):
    if not isinstance(value, dict):
        raise serializers.ValidationError("Must be a JSON object.")
    text = json.dumps(value)
    if len(text) > 16_000:
        raise serializers.ValidationError("Preferences are limited to 16 kB.")
    if "\\u0000" in text:
        # PostgreSQL cannot store it; refused here rather than failing on the way in.
        raise serializers.ValidationError("Must not contain NUL characters.")
    return value


def _short_strings():
    return serializers.ListField(
        child=StrictStringField(max_length=64), max_length=MAX_SET_ITEMS, required=False
    )


class SyncInputSerializer(serializers.Serializer):
    days = serializers.ListField(
        child=DaySerializer(), max_length=MAX_DAYS_PER_UPLOAD, required=False
    )
    baseline = BaselineSerializer(required=False)
    achievements = _short_strings()
    patterns = _short_strings()
    presets = _short_strings()
    challenges = ChallengesSerializer(required=False)
    preferences = PreferencesSerializer(required=False)


def payload_from_validated(data: dict) -> SyncPayload:
    unlocks = [
        (kind, key)
        for kind, name in (
            (Unlock.Kind.ACHIEVEMENT, "achievements"),
            (Unlock.Kind.PATTERN, "patterns"),
            (Unlock.Kind.PRESET, "presets"),
        )
        for key in data.get(name, [])
    ]
    unlocks += [
        (Unlock.Kind.CHALLENGE, key) for key in data.get("challenges", {}).get("completed", [])
    ]
    baseline = data.get("baseline")
    preferences = data.get("preferences")
    return SyncPayload(
        days=tuple(DayCounters(**day) for day in data.get("days", [])),
        baseline=(
            Counters(baseline["xp"], baseline["sessions"], baseline["minutes"])
            if baseline
            else None
        ),
        first_seen=baseline.get("firstSeenDate") if baseline else None,
        unlocks=tuple(unlocks),
        preferences=(
            Preferences(value=preferences["value"], modified_at=preferences["modifiedAt"])
            if preferences
            else None
        ),
    )


# --- The sync upload, checked without building serializers -----------------------------------
#
# `POST /sync` is the hot path: a serializer tree costs more to build (it deep-copies its
# fields per request) than the whole merge. `sync_payload_from` checks exactly what
# SyncInputSerializer declares, with the same messages in the same shape, and raises DRF's
# ValidationError so the one exception handler renders it; the serializer stays the schema.

_REQUIRED = serializers.Field.default_error_messages["required"]
_NULL = serializers.Field.default_error_messages["null"]
_NOT_A_DICT = serializers.Serializer.default_error_messages["invalid"]
_NOT_A_LIST = serializers.ListField.default_error_messages["not_a_list"]
_TOO_MANY = serializers.ListField.default_error_messages["max_length"]
_NOT_JSON = serializers.JSONField.default_error_messages["invalid"]


class _Invalid(Exception):
    def __init__(self, detail):
        self.detail = detail


def _present(value):
    if value is None:
        raise _Invalid([str(_NULL)])
    return value


def _mapping(value) -> Mapping:
    if not isinstance(_present(value), Mapping):
        message = str(_NOT_A_DICT).format(datatype=type(value).__name__)
        raise _Invalid({api_settings.NON_FIELD_ERRORS_KEY: [message]})
    return value


def _fields(value, checks: dict, required: bool, optional: tuple = ()) -> dict:
    """Each named check on its key, errors collected per key, in the declared order."""
    value = _mapping(value)
    result, errors = {}, {}
    for name, check in checks.items():
        if name not in value:
            if required and name not in optional:
                errors[name] = [str(_REQUIRED)]
            continue
        try:
            result[name] = check(value[name])
        except _Invalid as invalid:
            errors[name] = invalid.detail
    if errors:
        raise _Invalid(errors)
    return result


def _list(value, check, max_length: int) -> list:
    if isinstance(_present(value), (str, Mapping)) or not hasattr(value, "__iter__"):
        raise _Invalid([str(_NOT_A_LIST).format(input_type=type(value).__name__)])
    result, errors = [], {}
    for index, item in enumerate(value):
        try:
            result.append(check(item))
        except _Invalid as invalid:
            errors[index] = invalid.detail
    if errors:
        raise _Invalid(errors)
    if len(result) > max_length:
        raise _Invalid([str(_TOO_MANY).format(max_length=max_length)])
    return result


def _with(field: serializers.Field):
    """A field's own to_internal_value (these strict fields build nothing per call)."""

    def check(value):
        try:
            return field.to_internal_value(_present(value))
        except serializers.ValidationError as error:
            raise _Invalid([str(message) for message in error.detail]) from None

    return check


_integer = _with(StrictIntegerField())
_local_date = _with(LocalDateField())
_offset_datetime = _with(OffsetDateTimeField())
_short_string = _with(StrictStringField(max_length=64))
_long_string = _with(StrictStringField(max_length=128))
_COUNTERS = {"xp": _integer, "sessions": _integer, "minutes": _integer}


def _preferences_value(value):
    try:
        json.dumps(_present(value))
    except (TypeError, ValueError):
        raise _Invalid([str(_NOT_JSON)]) from None
    try:
        return preferences_value_check(value)
    except serializers.ValidationError as error:
        raise _Invalid([str(message) for message in error.detail]) from None


_DAY_CHECKS = {**_COUNTERS, "date": _local_date}
_BASELINE_CHECKS = {**_COUNTERS, "firstSeenDate": _local_date}
_SYNC_CHECKS = {
    "days": lambda v: _list(v, lambda day: _fields(day, _DAY_CHECKS, True), MAX_DAYS_PER_UPLOAD),
    "baseline": lambda v: _fields(v, _BASELINE_CHECKS, True, optional=("firstSeenDate",)),
    "achievements": lambda v: _list(v, _short_string, MAX_SET_ITEMS),
    "patterns": lambda v: _list(v, _short_string, MAX_SET_ITEMS),
    "presets": lambda v: _list(v, _short_string, MAX_SET_ITEMS),
    "challenges": lambda v: _fields(
        v, {"completed": lambda c: _list(c, _long_string, MAX_SET_ITEMS)}, False
    ),
    "preferences": lambda v: _fields(
        v, {"value": _preferences_value, "modifiedAt": _offset_datetime}, True
    ),
}


def sync_payload_from(data) -> SyncPayload:
    """The upload as SyncInputSerializer would read it, or its ValidationError."""
    if data is None:  # a body of `null`: the serializer's own wording
        raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: ["No data provided"]})
    try:
        validated = _fields(data, _SYNC_CHECKS, False)
    except _Invalid as invalid:
        raise serializers.ValidationError(invalid.detail) from None
    return payload_from_validated(validated)


class ImportInputSerializer(serializers.Serializer):
    """The export envelope as the extension writes it; read in detail by progression.imports."""

    exportDate = serializers.CharField(required=False)
    breathMaster = serializers.JSONField()


class EligibilityInputSerializer(serializers.Serializer):
    totalXP = StrictIntegerField()
    totalSessions = StrictIntegerField()
    currentStreak = StrictIntegerField()
    firstSeenDate = serializers.CharField(
        allow_null=True,
        help_text="The first day the extension saw activity: YYYY-MM-DD, an ISO time, or "
        'JavaScript\'s toDateString() ("Wed Aug 27 2025").',
    )

    def validate_firstSeenDate(self, value):
        if value is None:
            return None
        day = parse_date_string(value)
        if day is None:
            raise serializers.ValidationError("Must be a date such as 2026-11-20.")
        return day


class StatsInputSerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=["daily", "weekly", "monthly"], default="daily")


# --- Output shapes (documentation of the answers) ---------------------------------------------


class DayOutputSerializer(serializers.Serializer):
    date = serializers.DateField()
    xp = serializers.IntegerField()
    sessions = serializers.IntegerField()
    minutes = serializers.IntegerField()


class PreferencesOutputSerializer(serializers.Serializer):
    value = serializers.JSONField()
    modifiedAt = serializers.DateTimeField()


class GameStateOutputSerializer(serializers.Serializer):
    totalXP = serializers.IntegerField()
    currentLevel = serializers.IntegerField()
    levelTitle = serializers.CharField()
    currentStreak = serializers.IntegerField()
    longestStreak = serializers.IntegerField()
    totalSessions = serializers.IntegerField()
    totalMinutes = serializers.IntegerField()
    unlockedAchievements = serializers.ListField(child=serializers.CharField())
    unlockedPatterns = serializers.ListField(child=serializers.CharField())
    unlockedPresetsLibrary = serializers.ListField(child=serializers.CharField())
    challengeHistory = serializers.ListField(
        child=serializers.CharField(), help_text="Completed challenge ids, as sent."
    )
    activeChallenges = serializers.ListField(child=serializers.JSONField())
    preferences = PreferencesOutputSerializer(allow_null=True)
    days = DayOutputSerializer(
        many=True, help_text="The last 60 days of the user's timezone, summed over devices."
    )
    lastModified = serializers.DateTimeField()
    syncVersion = serializers.IntegerField()


class SyncOutputSerializer(serializers.Serializer):
    syncVersion = serializers.IntegerField()
    state = GameStateOutputSerializer()


class RequirementsOutputSerializer(serializers.Serializer):
    minLevel = serializers.IntegerField()
    minTotalSessions = serializers.IntegerField()
    minStreak = serializers.IntegerField()
    minAccountAgeDays = serializers.IntegerField()


class NextRequirementOutputSerializer(serializers.Serializer):
    requirement = serializers.ChoiceField(
        choices=["minLevel", "minTotalSessions", "minStreak", "minAccountAgeDays"]
    )
    needed = serializers.IntegerField()
    current = serializers.IntegerField()


class EligibilityOutputSerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    requirements = RequirementsOutputSerializer()
    nextRequirement = NextRequirementOutputSerializer(
        allow_null=True,
        help_text="The first unmet requirement, in the order listed; null when eligible.",
    )


class EnableOutputSerializer(serializers.Serializer):
    syncEnabled = serializers.BooleanField()
    enabledAt = serializers.DateTimeField()


class StatsBucketOutputSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="The first day of the day, week (Monday) or month.")
    xp = serializers.IntegerField()
    sessions = serializers.IntegerField()
    minutes = serializers.IntegerField()
    activeDays = serializers.IntegerField()


class StatsOutputSerializer(serializers.Serializer):
    period = serializers.CharField()
    historyDays = serializers.IntegerField(allow_null=True)
    series = StatsBucketOutputSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        fields["to"] = serializers.DateField()
        return fields
