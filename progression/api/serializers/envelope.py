"""`POST /sync/import`'s input: the extension's export envelope, every field checked.

The envelope is read as the extension writes it (EXTENSION.md): unknown keys are ignored and a
`null` is an absent field, but every field the server knows is checked as `/sync` checks its
own: JSON integers for counts, finite numbers for durations, strings without NUL and of
bounded length, lists capped. Totals may be large here: whether they are possible is judged
afterwards, against the span the export covers (`implausible_baseline`).
"""

from datetime import datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from progression.api.serializers.fields import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    MAX_SET_ITEMS,
    StrictBooleanField,
    StrictIntegerField,
    StrictNumberField,
    StrictStringField,
    json_object_check,
)

# The most an export may claim in total (XP, milliseconds): beyond what JavaScript counts exactly.
MAX_TOTAL = 2**53 - 1
MS_PER_DAY = 86_400_000
MAX_SESSIONS_PER_EXPORT = 20_000


def _optional(field_class, **kwargs):
    return field_class(required=False, allow_null=True, **kwargs)


@extend_schema_field(OpenApiTypes.DATETIME)
class ExportTimeField(serializers.Field):
    """An ISO 8601 time with an offset (the extension writes UTC with a `Z`)."""

    default_error_messages = {"invalid": "Must be an ISO 8601 time with an offset."}

    def to_internal_value(self, data):
        if not isinstance(data, str) or len(data) > 40 or "\x00" in data:
            self.fail("invalid")
        try:
            moment = datetime.fromisoformat(data.replace("Z", "+00:00"))
        except ValueError:
            self.fail("invalid")
        if moment.tzinfo is None or not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
            self.fail("invalid")
        return data

    def to_representation(self, value):
        return value


class ExportSessionSerializer(serializers.Serializer):
    id = _optional(StrictStringField, max_length=128)
    startedAt = ExportTimeField()
    endedAt = _optional(ExportTimeField)
    activeMs = _optional(StrictNumberField, max_value=MS_PER_DAY)
    cycles = _optional(StrictIntegerField)
    goalMinutes = _optional(StrictNumberField, max_value=1440)
    goalBonusXP = _optional(StrictIntegerField)
    finalXP = _optional(StrictIntegerField, max_value=MAX_TOTAL)
    pledgeHonored = _optional(StrictBooleanField)


class ExportDailyChallengeSerializer(serializers.Serializer):
    id = _optional(StrictStringField, max_length=128)
    type = _optional(StrictStringField, max_length=32)
    target = _optional(StrictNumberField, max_value=MAX_TOTAL)
    rewardXP = _optional(StrictIntegerField)
    completed = _optional(StrictBooleanField)
    expired = _optional(StrictBooleanField)


class ExportMeditationSerializer(serializers.Serializer):
    totalXP = _optional(StrictIntegerField, max_value=MAX_TOTAL)
    currentStreak = _optional(StrictIntegerField)
    longestStreak = _optional(StrictIntegerField)
    todaySessionTime = _optional(StrictNumberField, max_value=MS_PER_DAY)
    lastMeditationDate = _optional(StrictStringField, max_length=64)
    totalMeditationTime = _optional(StrictNumberField, max_value=MAX_TOTAL)
    sessionsToday = _optional(StrictIntegerField)
    sessions = serializers.ListField(
        child=ExportSessionSerializer(),
        max_length=MAX_SESSIONS_PER_EXPORT,
        required=False,
        allow_null=True,
    )
    lastGoalMinutes = _optional(StrictNumberField, max_value=1440)
    dailyChallenges = serializers.ListField(
        child=ExportDailyChallengeSerializer(),
        max_length=MAX_SET_ITEMS,
        required=False,
        allow_null=True,
    )
    challengesCompleted = _optional(StrictIntegerField)
    lastChallengeDate = _optional(StrictStringField, max_length=64)


class ExportOnboardingField(serializers.JSONField):
    """The extension's onboarding state: read only for its tour's date; kept small and clean."""

    def to_internal_value(self, data):
        return json_object_check(super().to_internal_value(data))


class ExportBreathMasterSerializer(serializers.Serializer):
    meditation = ExportMeditationSerializer()
    onboarding = ExportOnboardingField(required=False, allow_null=True)
    version = _optional(StrictStringField, max_length=32)


class ImportInputSerializer(serializers.Serializer):
    """The export envelope as the extension writes it; read in detail by progression.imports."""

    exportDate = _optional(ExportTimeField)
    breathMaster = ExportBreathMasterSerializer()
