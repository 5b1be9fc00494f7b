"""Marking the in-app feed read."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from breathmaster.api.errors import ApplicationError
from notifications.models import Notification


@transaction.atomic
def notification_read(*, user: User, notification_id) -> Notification:
    """Mark one of the user's items read (the first time is kept); someone else's is 404."""
    item = Notification.objects.select_for_update().filter(pk=notification_id, user=user).first()
    if item is None:
        raise ApplicationError("Nothing is here.", code="not_found", status_code=404)
    if item.read_at is None:
        item.read_at = timezone.now()
        item.save(update_fields=["read_at"])
    return item


def notifications_read_all(*, user: User) -> int:
    """Mark every unread item read; answer how many were."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
