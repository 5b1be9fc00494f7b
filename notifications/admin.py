from django.contrib import admin, messages

from notifications import services
from notifications.models import Notification, NotificationPreference, Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["user", "local_date", "kind", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "kind", "local_date"]
    search_fields = ["=user__id", "user__email", "kind", "status", "event_key"]
    readonly_fields = [f.name for f in Reminder._meta.fields]
    list_select_related = ["user"]
    date_hierarchy = "local_date"

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_enabled", "frequency", "time_of_day", "timezone"]
    list_filter = ["email_enabled", "frequency"]
    search_fields = ["=user__id", "user__email"]
    readonly_fields = ["user", "last_planned_on", "updated_at"]
    actions = ["send_test_email"]

    @admin.action(description="Send a test email to the selected users")
    def send_test_email(self, request, queryset) -> None:
        sent = 0
        for preference in queryset.select_related("user"):
            if not preference.user.email:
                continue
            try:
                services.staff_test_email_send(user=preference.user)
            except Exception as error:  # noqa: BLE001  (staff see the delivery error itself)
                self.message_user(request, f"Not sent: {error}", level=messages.ERROR)
                return
            sent += 1
        self.message_user(request, f"{sent} test email(s) sent.")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "title", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["=user__id", "user__email", "kind"]
    readonly_fields = [f.name for f in Notification._meta.fields]
