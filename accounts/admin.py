from django.contrib import admin, messages
from django.db import models

from accounts import services
from accounts.models import DeletionRequest, Device, User


class DeviceInline(admin.TabularInline):
    model = Device
    fields = ["name", "platform", "created_at", "last_seen_at", "revoked_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["__str__", "email", "display_name", "friend_code", "is_active", "date_joined"]
    list_filter = ["is_active", "is_staff", "leaderboard_global"]
    search_fields = ["=id", "email", "display_name", "=friend_code"]
    readonly_fields = ["id", "friend_code", "date_joined", "last_login"]
    exclude = ["password", "groups", "user_permissions"]
    inlines = [DeviceInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["revoke_all_devices", "schedule_deletion"]

    @admin.action(description="Sign out all devices")
    def revoke_all_devices(self, request, queryset) -> None:
        revoked = sum(services.devices_revoke_all(user=user) for user in queryset)
        self.message_user(request, f"{revoked} device(s) signed out.")

    @admin.action(description="Schedule deletion (7 days, restorable)")
    def schedule_deletion(self, request, queryset) -> None:
        for user in queryset.filter(is_active=True):
            deletion, _ = services.user_deletion_schedule(user=user)
            self.message_user(
                request,
                f"{user} is scheduled for erasure on {deletion.scheduled_for:%Y-%m-%d}.",
                messages.SUCCESS,
            )


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["name", "platform", "user", "created_at", "last_seen_at", "revoked_at"]
    list_filter = ["platform", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "platform", "user__email", "user__display_name", "=user__id"]
    list_select_related = ["user"]
    readonly_fields = ["id", "user", "created_at", "last_seen_at", "revoked_at"]
    exclude = ["token_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Sign out the selected devices")
    def revoke(self, request, queryset) -> None:
        for device in queryset.filter(revoked_at__isnull=True):
            services.device_revoke(user=device.user, device_id=device.pk)
        self.message_user(request, "The selected devices are signed out.")


@admin.register(DeletionRequest)
class DeletionRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "requested_at", "scheduled_for", "restored_at", "erased_at"]
    list_filter = [("erased_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["id", "user", "requested_at", "scheduled_for", "restored_at", "erased_at"]
    exclude = ["restore_code_hash"]

    def has_add_permission(self, request) -> bool:
        return False
