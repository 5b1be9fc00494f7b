"""Input and output shapes of the accounts API, camelCase written out field by field."""

from rest_framework import serializers

from accounts import validators
from accounts.models import LeaderboardVisibility
from breathmaster.api.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
    StrictSerializer,
)


class DeviceNameInput(StrictSerializer):
    deviceName = StrictCharField(source="device_name", max_length=80)
    platform = StrictCharField(max_length=40, required=False, allow_blank=True, default="")


class DeviceTokenOutput(serializers.Serializer):
    token = serializers.CharField()
    userId = serializers.UUIDField(source="user_id")
    deviceId = serializers.UUIDField(source="id")


class SyncCodeOutput(serializers.Serializer):
    code = serializers.CharField()
    expiresAt = serializers.DateTimeField(source="expires_at")


class SyncCodeRedeemInput(DeviceNameInput):
    code = StrictCharField(max_length=64)


class RestoreInput(DeviceNameInput):
    restoreCode = StrictCharField(source="restore_code", max_length=64)


class DeviceOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    platform = serializers.CharField()
    createdAt = serializers.DateTimeField(source="created_at")
    lastSeenAt = serializers.DateTimeField(source="last_seen_at", allow_null=True)
    current = serializers.SerializerMethodField()

    def get_current(self, device) -> bool:
        return device.pk == self.context["current_device_id"]


class LeaderboardPrivacy(StrictSerializer):
    # `global` is a Python keyword, so the field is declared by name below.
    friends = StrictBooleanField(source="leaderboard_friends", required=False)
    company = StrictBooleanField(source="leaderboard_company", required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["global"] = StrictChoiceField(
            choices=LeaderboardVisibility.values, source="leaderboard_global", required=False
        )
        return fields


class PrivacyInput(StrictSerializer):
    shareProgress = StrictBooleanField(source="share_progress", required=False)
    shareStreaks = StrictBooleanField(source="share_streaks", required=False)
    allowFriendRequests = StrictBooleanField(source="allow_friend_requests", required=False)
    dataRetentionDays = StrictIntegerField(
        source="data_retention_days",
        required=False,
        min_value=validators.RETENTION_MIN_DAYS,
        max_value=validators.RETENTION_MAX_DAYS,
    )
    leaderboard = LeaderboardPrivacy(required=False)


class MeUpdateInput(StrictSerializer):
    displayName = StrictCharField(
        source="display_name",
        max_length=validators.DISPLAY_NAME_MAX,
        validators=[validators.validate_display_name],
    )
    avatarUrl = StrictCharField(
        source="avatar_url",
        max_length=500,
        allow_blank=True,
        validators=[validators.validate_avatar_url],
    )
    timezone = StrictCharField(max_length=64, validators=[validators.validate_timezone_name])
    privacy = PrivacyInput()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)

    def changes(self) -> dict:
        """The validated input flattened to model field names, ready for the service."""
        data = dict(self.validated_data)
        privacy = dict(data.pop("privacy", {}))
        leaderboard = privacy.pop("leaderboard", {})
        return {**data, **privacy, **leaderboard}


class PrivacyOutput(serializers.Serializer):
    shareProgress = serializers.BooleanField()
    shareStreaks = serializers.BooleanField()
    allowFriendRequests = serializers.BooleanField()
    dataRetentionDays = serializers.IntegerField()
    leaderboard = serializers.DictField()


class MeOutput(serializers.Serializer):
    userId = serializers.UUIDField(source="id")
    displayName = serializers.CharField(source="display_name")
    avatarUrl = serializers.CharField(source="avatar_url")
    timezone = serializers.CharField()
    email = serializers.EmailField(allow_null=True)
    emailVerified = serializers.BooleanField(source="email_verified")
    friendCode = serializers.CharField(source="friend_code")
    # Sections other apps provide through accounts.extensions (billing: tier, features, limits).
    tier = serializers.CharField(source="sections.tier", allow_null=True)
    features = serializers.DictField(source="sections.features")
    limits = serializers.DictField(source="sections.limits")
    syncEnabled = serializers.BooleanField(source="is_sync_enabled")
    syncEnabledAt = serializers.DateTimeField(source="sync_enabled_at", allow_null=True)
    eligibility = serializers.JSONField(source="sections.eligibility", allow_null=True)
    billing = serializers.JSONField(source="sections.billing", allow_null=True)
    privacy = PrivacyOutput()
    createdAt = serializers.DateTimeField(source="date_joined")


class DeletionScheduledOutput(serializers.Serializer):
    deletionScheduledFor = serializers.DateTimeField(source="scheduled_for")
    restoreCode = serializers.CharField(source="restore_code")


class DataExportCreatedOutput(serializers.Serializer):
    exportId = serializers.UUIDField(source="id")


class DataExportStatusOutput(serializers.Serializer):
    status = serializers.CharField()
    downloadUrl = serializers.URLField(source="download_url", required=False)
    expiresAt = serializers.DateTimeField(source="expires_at", required=False)
