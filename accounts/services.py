import secrets

from django.db import transaction

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
