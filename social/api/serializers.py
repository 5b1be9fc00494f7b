"""Input and output shapes of the social API, camelCase written out field by field."""

from datetime import timedelta

from django.utils import timezone
from rest_framework import serializers

from breathmaster.api.fields import (
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
    StrictSerializer,
    StrictUUIDField,
)
from social.models import GoalMetric


class FriendOutput(serializers.Serializer):
    userId = serializers.UUIDField(source="user_id")
    displayName = serializers.CharField(source="display_name")
    since = serializers.DateTimeField()
    level = serializers.IntegerField(allow_null=True)
    streak = serializers.IntegerField(allow_null=True)


class FriendListOutput(serializers.Serializer):
    results = FriendOutput(many=True)
    next = serializers.CharField(allow_null=True)


class FriendRequestOutput(serializers.Serializer):
    id = serializers.UUIDField()
    displayName = serializers.CharField(source="display_name")
    createdAt = serializers.DateTimeField(source="created_at")


class FriendRequestsOutput(serializers.Serializer):
    incoming = FriendRequestOutput(many=True)
    outgoing = FriendRequestOutput(many=True)


class FriendRequestInput(StrictSerializer):
    friendCode = StrictCharField(source="friend_code", max_length=64)


class FriendRequestStatusOutput(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.CharField()


class LeaderboardQuery(StrictSerializer):
    period = serializers.ChoiceField(choices=["day", "week", "month", "all"], default="week")
    cursor = serializers.CharField(required=False, allow_blank=True, max_length=200)


class PageQuery(StrictSerializer):
    cursor = serializers.CharField(required=False, allow_blank=True, max_length=200)


class LeaderboardEntryOutput(serializers.Serializer):
    rank = serializers.IntegerField()
    displayName = serializers.CharField(source="display_name")
    avatarUrl = serializers.CharField(source="avatar_url", allow_null=True)
    xp = serializers.IntegerField()
    streak = serializers.IntegerField(allow_null=True)
    minutes = serializers.IntegerField()


class LeaderboardMeOutput(serializers.Serializer):
    rank = serializers.IntegerField()
    xp = serializers.IntegerField()


class LeaderboardOutput(serializers.Serializer):
    period = serializers.CharField()
    scope = serializers.CharField()
    entries = LeaderboardEntryOutput(many=True)
    me = LeaderboardMeOutput(allow_null=True)
    next = serializers.CharField(allow_null=True)


class GoalSerializer(StrictSerializer):
    metric = StrictChoiceField(choices=GoalMetric.values)
    target = StrictIntegerField(min_value=1, max_value=100_000)
    durationDays = StrictIntegerField(source="duration_days", min_value=1, max_value=365)


class ChallengeCreateInput(StrictSerializer):
    title = StrictCharField(max_length=80)
    description = StrictCharField(max_length=500, required=False, allow_blank=True)
    type = StrictChoiceField(choices=["friends", "company", "custom"])
    goal = GoalSerializer()
    visibility = StrictChoiceField(choices=["public", "friends", "private"])
    startsAt = serializers.DateTimeField(source="starts_at", required=False)

    def validate_startsAt(self, value):  # noqa: N802 (the contract's name)
        now = timezone.now()
        if not now - timedelta(days=1) <= value <= now + timedelta(days=90):
            raise serializers.ValidationError("Start from yesterday up to 90 days ahead.")
        return value

    def validate_title(self, value: str) -> str:
        if not value.strip() or not value.isprintable():
            raise serializers.ValidationError("Use 1 to 80 printable characters.")
        return value.strip()


class ChallengeListQuery(StrictSerializer):
    type = serializers.ChoiceField(
        choices=["global", "friends", "company", "custom"], required=False
    )
    status = serializers.ChoiceField(choices=["active", "ended"], required=False)
    joined = serializers.BooleanField(required=False, default=False)
    cursor = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ProgressOutput(serializers.Serializer):
    current = serializers.IntegerField()
    target = serializers.IntegerField()
    percent = serializers.IntegerField()
    completed = serializers.BooleanField()
    completedAt = serializers.DateTimeField(source="completed_at", allow_null=True)


class ParticipantsOutput(serializers.Serializer):
    total = serializers.IntegerField()
    completed = serializers.IntegerField()
    friends = serializers.IntegerField()


class ChallengeGoalOutput(serializers.Serializer):
    metric = serializers.CharField(source="goal_metric")
    target = serializers.IntegerField(source="goal_target")
    durationDays = serializers.IntegerField(source="duration_days")


class RewardsOutput(serializers.Serializer):
    xp = serializers.IntegerField(source="reward_xp")
    badgeId = serializers.SerializerMethodField()

    def get_badgeId(self, challenge) -> str | None:  # noqa: N802 (the contract's name)
        return challenge.reward_badge_id or None


class ChallengeOutput(serializers.Serializer):
    id = serializers.UUIDField(source="challenge.id")
    title = serializers.CharField(source="challenge.title")
    description = serializers.CharField(source="challenge.description")
    type = serializers.CharField(source="challenge.type")
    goal = ChallengeGoalOutput(source="challenge")
    startsAt = serializers.DateTimeField(source="challenge.starts_at")
    endsAt = serializers.DateTimeField(source="challenge.ends_at")
    participants = ParticipantsOutput()
    rewards = RewardsOutput(source="challenge")
    visibility = serializers.CharField(source="challenge.visibility")
    myProgress = ProgressOutput(source="my_progress", allow_null=True)


class ChallengeListOutput(serializers.Serializer):
    results = ChallengeOutput(many=True)
    next = serializers.CharField(allow_null=True)


class ChallengeBoardEntryOutput(serializers.Serializer):
    rank = serializers.IntegerField()
    userId = serializers.UUIDField(source="user_id", allow_null=True)
    displayName = serializers.CharField(source="display_name")
    avatarUrl = serializers.CharField(source="avatar_url", allow_null=True)
    current = serializers.IntegerField()
    percent = serializers.IntegerField()
    completed = serializers.BooleanField()


class ChallengeBoardOutput(serializers.Serializer):
    results = ChallengeBoardEntryOutput(many=True)
    next = serializers.CharField(allow_null=True)


class CheerInput(StrictSerializer):
    userId = StrictUUIDField(source="user_id")


class ReportInput(StrictSerializer):
    reason = StrictCharField(max_length=500)


class DisplayNameReportInput(StrictSerializer):
    userId = StrictUUIDField(source="user_id")
    reason = StrictCharField(max_length=500)
