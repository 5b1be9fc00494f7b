from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions

from accounts.models import Device, hash_token

# Recording "last seen" on every request would turn each read into a write.
LAST_SEEN_RESOLUTION = timedelta(minutes=5)


class DeviceTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>`: the token's hash names one active device."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed()
        try:
            token = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed() from None
        device = (
            Device.objects.select_related("user")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if device is None:
            raise exceptions.AuthenticationFailed()
        self._touch(device)
        return device.user, device

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'

    @staticmethod
    def _touch(device: Device) -> None:
        now = timezone.now()
        if device.last_seen_at is None or now - device.last_seen_at > LAST_SEEN_RESOLUTION:
            Device.objects.filter(pk=device.pk).update(last_seen_at=now)
            device.last_seen_at = now
