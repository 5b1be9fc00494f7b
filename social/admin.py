from django.contrib import admin

from social.models import Challenge, ChallengeParticipation, FriendRequest, Friendship


@admin.register(FriendRequest)
class FriendRequestAdmin(admin.ModelAdmin):
    list_display = ["from_user", "to_user", "status", "created_at", "responded_at"]
    list_filter = ["status"]
    search_fields = ["from_user__email", "to_user__email", "=from_user__id", "=to_user__id"]
    raw_id_fields = ["from_user", "to_user"]
    date_hierarchy = "created_at"


@admin.register(Friendship)
class FriendshipAdmin(admin.ModelAdmin):
    list_display = ["user", "friend", "created_at"]
    search_fields = ["user__email", "friend__email", "=user__id", "=friend__id"]
    raw_id_fields = ["user", "friend"]


class ParticipationInline(admin.TabularInline):
    model = ChallengeParticipation
    fields = ["user", "joined_at", "left_at", "completed_at"]
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "type",
        "visibility",
        "goal_metric",
        "goal_target",
        "starts_at",
        "ends_at",
        "created_by",
    ]
    list_filter = ["type", "visibility", "goal_metric"]
    search_fields = ["title", "description", "created_by__email", "=id"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["id", "created_at"]
    date_hierarchy = "starts_at"
    inlines = [ParticipationInline]


@admin.register(ChallengeParticipation)
class ChallengeParticipationAdmin(admin.ModelAdmin):
    list_display = ["challenge", "user", "joined_at", "left_at", "completed_at"]
    list_filter = [
        ("left_at", admin.EmptyFieldListFilter),
        ("completed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["challenge__title", "user__email", "=user__id"]
    raw_id_fields = ["challenge", "user"]
