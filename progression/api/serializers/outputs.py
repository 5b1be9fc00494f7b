"""Output shapes: documentation of the answers (the OpenAPI schema reads them)."""

from rest_framework import serializers


class DayOutputSerializer(serializers.Serializer):
    date = serializers.DateField()
    xp = serializers.IntegerField()
    sessions = serializers.IntegerField()
    minutes = serializers.IntegerField()


class SyncPreferencesOutputSerializer(serializers.Serializer):
    value = serializers.JSONField()
    modifiedAt = serializers.DateTimeField()


class ActiveChallengeGoalOutputSerializer(serializers.Serializer):
    metric = serializers.ChoiceField(choices=["totalMinutes", "streak", "sessions", "consistency"])
    target = serializers.IntegerField()
    durationDays = serializers.IntegerField()


class ActiveChallengeRewardsOutputSerializer(serializers.Serializer):
    xp = serializers.IntegerField()
    badgeId = serializers.CharField(allow_null=True)


class ActiveChallengeOutputSerializer(serializers.Serializer):
    """A community challenge the user joined (social's part of the state); progress and
    participants are on `GET /api/v1/challenges/{id}`."""

    id = serializers.UUIDField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    type = serializers.ChoiceField(choices=["global", "friends", "company", "custom"])
    goal = ActiveChallengeGoalOutputSerializer()
    startsAt = serializers.DateTimeField()
    endsAt = serializers.DateTimeField()
    rewards = ActiveChallengeRewardsOutputSerializer()
    visibility = serializers.ChoiceField(choices=["public", "friends", "private"])
    joinedAt = serializers.DateTimeField()


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
    activeChallenges = ActiveChallengeOutputSerializer(
        many=True,
        help_text="The community challenges the user joined that are still running, soonest "
        "ending first.",
    )
    preferences = SyncPreferencesOutputSerializer(allow_null=True)
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
