"""`POST /sync`'s input: the documented serializer, and the lean reader the hot path runs.

Unknown keys are ignored so newer clients keep working.
"""

import json
from collections.abc import Mapping

from rest_framework import serializers
from rest_framework.settings import api_settings

from progression.api.serializers.fields import (
    MAX_DAYS_PER_UPLOAD,
    MAX_SET_ITEMS,
    LocalDateField,
    OffsetDateTimeField,
    StrictIntegerField,
    StrictStringField,
    preferences_value_check,
)
from progression.models import Unlock
from progression.services import Counters, DayCounters, Preferences, SyncPayload


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
