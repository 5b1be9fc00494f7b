import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Device, User, hash_token


def device_token_new() -> str:
    return f"bm_{secrets.token_urlsafe(32)}"


@transaction.atomic
def device_create(*, user: User, name: str, platform: str = "") -> tuple[Device, str]:
    """Add a device to the account; the token is returned once and only its hash is kept."""
    token = device_token_new()
    device = Device.objects.create(
        user=user, name=name, platform=platform, token_hash=hash_token(token)
    )
    return device, token


@transaction.atomic
def user_sync_enable(*, user: User) -> datetime:
    """Record the user's opt-in to sync; idempotent, the first time is the one kept."""
    User.objects.filter(pk=user.pk, sync_enabled_at__isnull=True).update(
        sync_enabled_at=timezone.now()
    )
    user.sync_enabled_at = User.objects.values_list("sync_enabled_at", flat=True).get(pk=user.pk)
    return user.sync_enabled_at
