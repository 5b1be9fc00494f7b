"""Strict fields the sync API reads with: JSON integers only, `YYYY-MM-DD` days, offsets.

Counters are JSON integers (never floats, booleans or strings); strings refuse NUL (PostgreSQL
cannot store it); dates and times outside EARLIEST_YEAR..LATEST_YEAR are client bugs.
"""

import json
import math
import re
from datetime import date, datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

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

    def __init__(self, *, max_value: int = MAX_COUNTER, **kwargs):
        self.max_value = max_value
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        if data < 0:
            self.fail("min_value")
        if data > self.max_value:
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


@extend_schema_field({"type": "number", "minimum": 0})
class StrictNumberField(serializers.Field):
    """A JSON number (integer or not, finite) from 0 to `max_value`: durations in ms."""

    default_error_messages = {
        "invalid": "Must be a number.",
        "min_value": "Must not be negative.",
        "max_value": "This number is too large.",
    }

    def __init__(self, *, max_value: float, **kwargs):
        self.max_value = max_value
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            self.fail("invalid")
        if isinstance(data, float) and not math.isfinite(data):
            self.fail("invalid")
        if data < 0:
            self.fail("min_value")
        if data > self.max_value:
            self.fail("max_value")
        return data

    def to_representation(self, value):
        return value


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanField(serializers.Field):
    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


def json_object_check(value, *, limit: int = 16_000) -> dict:
    """A JSON object of at most `limit` characters, with no NUL anywhere in it."""
    if not isinstance(value, dict):
        raise serializers.ValidationError("Must be a JSON object.")
    text = json.dumps(value)
    if len(text) > limit:
        raise serializers.ValidationError(f"Must be at most {limit // 1000} kB.")
    if "\\u0000" in text:
        # PostgreSQL cannot store it; refused here rather than failing on the way in.
        raise serializers.ValidationError("Must not contain NUL characters.")
    return value
