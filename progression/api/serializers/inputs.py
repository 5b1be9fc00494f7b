"""Inputs of the invitation check and the stats series."""

from rest_framework import serializers

from progression.api.serializers.fields import StrictIntegerField
from progression.imports import parse_date_string


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
