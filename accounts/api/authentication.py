from datetime import timedelta
from functools import cache

from django.db import connection
from django.utils import timezone
from rest_framework import authentication, exceptions

from accounts.models import Device, User, hash_token

# Recording "last seen" on every request would turn each read into a write.
LAST_SEEN_RESOLUTION = timedelta(minutes=5)


@cache
def _device_lookup() -> tuple[str, list[str], list[str]]:
    """The token lookup as one fixed JOIN (the ORM would compile it again on every request,
    which cost more than the query itself); also the column names each model is built from."""
    device_fields = [field.attname for field in Device._meta.concrete_fields]
    user_fields = [field.attname for field in User._meta.concrete_fields]
    columns = [f"d.{connection.ops.quote_name(name)}" for name in device_fields]
    columns += [f"u.{connection.ops.quote_name(name)}" for name in user_fields]
    sql = (
        f"SELECT {', '.join(columns)} FROM {Device._meta.db_table} d "
        f"JOIN {User._meta.db_table} u ON u.id = d.user_id "
        "WHERE d.token_hash = %s AND d.revoked_at IS NULL AND u.is_active"
    )
    return sql, device_fields, user_fields


def device_for_token(token: str) -> Device | None:
    """The active device (with its user loaded) whose token this is, or None."""
    sql, device_fields, user_fields = _device_lookup()
    with connection.cursor() as cursor:
        cursor.execute(sql, [hash_token(token)])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(device_fields)
    device = Device.from_db(connection.alias, device_fields, row[:split])
    user = User.from_db(connection.alias, user_fields, row[split:])
    Device.user.field.set_cached_value(device, user)
    return device


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
        device = device_for_token(token)
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
