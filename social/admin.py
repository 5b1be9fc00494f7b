from datetime import timedelta

from django.contrib import admin, messages

from social import services
from social.models import (
    BoardBan,
    Challenge,
    ChallengeParticipation,
    FriendRequest,
    Friendship,
    ModerationAction,
    Report,
)


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
    list_filter = ["type", "visibility", "goal_metric", ("hidden_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "description", "created_by__email", "=id"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["id", "ends_at", "created_at", "closed_at"]
    date_hierarchy = "starts_at"
    inlines = [ParticipationInline]

    def save_model(self, request, obj, form, change):
        # Staff make the global ones here; the end always follows from start and duration.
        obj.ends_at = obj.starts_at + timedelta(days=obj.duration_days)
        if not change and obj.created_by is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ChallengeParticipation)
class ChallengeParticipationAdmin(admin.ModelAdmin):
    list_display = ["challenge", "user", "joined_at", "left_at", "completed_at"]
    list_filter = [
        ("left_at", admin.EmptyFieldListFilter),
        ("completed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["challenge__title", "user__email", "=user__id"]
    raw_id_fields = ["challenge", "user"]


class ModerationActionInline(admin.TabularInline):
    """Every staff action on a report, with who and when: read-only, a record."""

    model = ModerationAction
    fields = ["kind", "staff", "created_at", "target_user", "challenge", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


def _each_report(action_name: str, description: str):
    """An admin action calling one moderation service per selected report."""

    def run(modeladmin, request, queryset):
        done = 0
        for report in queryset.select_related("challenge", "reported_user"):
            if _apply(action_name, report=report, staff=request.user):
                done += 1
        modeladmin.message_user(request, f"{description}: {done} report(s).", messages.SUCCESS)

    run.short_description = description
    run.__name__ = action_name
    return run


def _apply(action_name: str, *, report: Report, staff) -> bool:
    if action_name == "hide_challenge":
        if report.challenge is None:
            return False
        services.challenge_hide(challenge=report.challenge, staff=staff, report=report)
    elif action_name == "reset_display_name":
        if report.reported_user is None:
            return False
        services.display_name_reset(user=report.reported_user, staff=staff, report=report)
    elif action_name == "ban":
        if report.reported_user is None:
            return False
        services.board_ban(user=report.reported_user, staff=staff, report=report)
    else:
        services.report_resolve(report=report, staff=staff)
    return True


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """The staff's queue: open reports first; each action is recorded below the report."""

    list_display = ["created_at", "kind", "status", "reported_name", "reason"]
    list_filter = ["status", "kind"]
    search_fields = ["reported_name", "reason"]
    readonly_fields = [
        "kind",
        "reporter",
        "challenge",
        "reported_user",
        "reported_name",
        "reason",
        "status",
        "created_at",
    ]
    inlines = [ModerationActionInline]
    actions = [
        _each_report("hide_challenge", "Hide the reported challenge"),
        _each_report("reset_display_name", "Reset the reported display name"),
        _each_report("ban", "Ban the reported user from leaderboards"),
        _each_report("resolve", "Mark resolved"),
    ]

    def has_add_permission(self, request) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("-status", "-created_at")


@admin.register(BoardBan)
class BoardBanAdmin(admin.ModelAdmin):
    list_display = ["user", "banned_by", "created_at", "reason"]
    raw_id_fields = ["user", "banned_by"]
    readonly_fields = ["banned_by", "created_at"]

    def save_model(self, request, obj, form, change):
        services.board_ban(user=obj.user, staff=request.user, reason=obj.reason)

    def delete_model(self, request, obj):
        services.board_unban(user=obj.user, staff=request.user)

    def delete_queryset(self, request, queryset):
        for ban in queryset.select_related("user"):
            services.board_unban(user=ban.user, staff=request.user)


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "staff", "target_user", "challenge", "report"]
    list_filter = ["kind"]
    readonly_fields = ["kind", "staff", "report", "target_user", "challenge", "note", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
