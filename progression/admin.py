from django.contrib import admin, messages

from progression import services
from progression.models import DeviceBaseline, DeviceDay, SyncFlag, SyncState


@admin.register(DeviceDay)
class DeviceDayAdmin(admin.ModelAdmin):
    list_display = ["user", "device", "date", "xp", "sessions", "minutes"]
    list_filter = ["date"]
    search_fields = ["user__email", "user__id"]
    raw_id_fields = ["user", "device"]
    date_hierarchy = "date"


@admin.register(DeviceBaseline)
class DeviceBaselineAdmin(admin.ModelAdmin):
    list_display = ["user", "device", "xp", "sessions", "minutes", "folded_xp", "folded_through"]
    search_fields = ["user__email", "user__id"]
    raw_id_fields = ["user", "device"]


@admin.register(SyncState)
class SyncStateAdmin(admin.ModelAdmin):
    list_display = ["user", "sync_version", "last_modified", "folded_horizon"]
    search_fields = ["user__email", "user__id"]
    raw_id_fields = ["user"]


@admin.register(SyncFlag)
class SyncFlagAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "kind",
        "date",
        "device",
        "day_xp",
        "median_xp",
        "reason",
        "created_at",
        "cleared_at",
    ]
    list_filter = ["kind", ("cleared_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "user__id"]
    raw_id_fields = ["user", "device", "cleared_by"]
    readonly_fields = ["cleared_at", "cleared_by"]
    actions = ["clear_flags"]

    @admin.action(description="Clear the selected flags (the progress looks honest)")
    def clear_flags(self, request, queryset):
        cleared = services.flags_clear(
            flag_ids=list(queryset.values_list("pk", flat=True)), by=request.user
        )
        self.message_user(request, f"Cleared {cleared} flag(s).", messages.SUCCESS)
