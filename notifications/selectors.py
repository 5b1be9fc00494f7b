"""Reads of notifications: preferences as the contract shows them, the feed, the export."""

from typing import Any

from django.db.models import QuerySet

from accounts.models import User
from breathmaster.timestamps import iso
from notifications.models import (
    IN_APP_FIELDS,
    TYPE_FIELDS,
    Notification,
    NotificationPreference,
    Reminder,
)


def preference_defaults(*, user: User) -> NotificationPreference:
    """The preferences of someone who never saved any: email off, the profile's timezone."""
    return NotificationPreference(user=user, timezone=user.timezone or "UTC")


def preference_for(*, user: User) -> NotificationPreference:
    found = NotificationPreference.objects.filter(user=user).first()
    return found or preference_defaults(user=user)


def preference_document(*, preference: NotificationPreference) -> dict[str, Any]:
    """The contract's `NotificationConfig`: `{email: {...}, inApp: {...}}`."""
    return {
        "email": {
            "enabled": preference.email_enabled,
            "frequency": preference.frequency,
            "timeOfDay": preference.time_of_day.strftime("%H:%M"),
            "timezone": preference.timezone,
            "types": {name: getattr(preference, field) for name, field in TYPE_FIELDS.items()},
        },
        "inApp": {name: getattr(preference, field) for name, field in IN_APP_FIELDS.items()},
    }


def feed_for(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def export_for_user(user: User) -> dict[str, Any]:
    """Everything notifications keeps about the user, for the data export."""
    return {
        "preferences": preference_document(preference=preference_for(user=user)),
        "emails": [
            {
                "localDate": reminder.local_date.isoformat(),
                "kind": reminder.kind,
                "status": reminder.status,
                "attempts": reminder.attempts,
                "sentAt": iso(reminder.sent_at),
            }
            for reminder in Reminder.objects.filter(user=user).order_by("local_date", "id")
        ],
        "feed": [
            {
                "kind": item.kind,
                "title": item.title,
                "body": item.body,
                "createdAt": iso(item.created_at),
                "readAt": iso(item.read_at),
            }
            for item in feed_for(user=user)
        ],
    }
