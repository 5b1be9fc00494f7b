import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import Device, User, hash_token
from breathmaster.api.errors import ApplicationError


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
def device_revoke(*, user: User, device_id) -> None:
    """Sign one of the user's devices out; its token stops working with the next request."""
    revoked = Device.objects.filter(pk=device_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not revoked:
        raise ApplicationError("No such device.", code="not_found", status_code=404)


def devices_revoke_all(*, user: User) -> int:
    return Device.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def user_anonymous_create(*, device_name: str, platform: str = "") -> tuple[Device, str]:
    """A fresh extension install: an account with no email and no personal data."""
    user = User.objects.create_user()
    return device_create(user=user, name=device_name, platform=platform)
