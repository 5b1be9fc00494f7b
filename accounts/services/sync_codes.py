"""Sync codes: how a second device (or a browser) joins an account.

`BM-xxxxxx-xxxxxx`, twelve characters of lowercase letters and digits (about 62 bits), valid
for ten minutes and once. Only the hash is stored; codes are read case-insensitively.
"""

import re
import secrets
import string
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Device, SyncCode, User, hash_token
from accounts.services.devices import device_create
from breathmaster.api.errors import ApplicationError

SYNC_CODE_LIFETIME = timedelta(minutes=10)
SYNC_CODE_ALPHABET = string.ascii_lowercase + string.digits
SYNC_CODE_PATTERN = re.compile(r"^bm-[a-z0-9]{6}-[a-z0-9]{6}$")


def invalid_sync_code_error() -> ApplicationError:
    return ApplicationError(
        "That sync code is not valid: it may have been used already or expired. "
        "Make a new one on a signed-in device.",
        code="invalid_sync_code",
    )


def _sync_code_part() -> str:
    return "".join(secrets.choice(SYNC_CODE_ALPHABET) for _ in range(6))


def sync_code_new() -> str:
    return f"BM-{_sync_code_part()}-{_sync_code_part()}"


def sync_code_hash(code: str) -> str | None:
    """The hash of a code as a person may type it, or None when it cannot be a code."""
    normalized = code.strip().lower()
    if not SYNC_CODE_PATTERN.match(normalized):
        return None
    return hash_token(normalized)


def sync_not_enabled_error() -> ApplicationError:
    return ApplicationError(
        "Turn on sync for this account first; then you can link more devices.",
        code="sync_not_enabled",
        status_code=403,
    )


@transaction.atomic
def sync_code_create(*, user: User) -> tuple[str, datetime]:
    """Make a code for another device to join this account; only its hash is kept."""
    if not user.is_sync_enabled:
        raise sync_not_enabled_error()
    code = sync_code_new()
    expires_at = timezone.now() + SYNC_CODE_LIFETIME
    SyncCode.objects.create(user=user, code_hash=sync_code_hash(code), expires_at=expires_at)
    return code, expires_at


def sync_code_owner(*, code: str) -> User | None:
    """The active account a usable code belongs to, without using the code up.

    Only for the web link page, to ask a browser signed in elsewhere before it switches.
    """
    code_hash = sync_code_hash(code)
    if code_hash is None:
        return None
    return User.objects.filter(
        is_active=True,
        sync_codes__code_hash=code_hash,
        sync_codes__used_at__isnull=True,
        sync_codes__expires_at__gt=timezone.now(),
    ).first()


@transaction.atomic
def sync_code_claim(*, code: str) -> User:
    """Use up a code and answer the account it belongs to.

    1. One conditional UPDATE claims the code: of two requests racing with the same code,
       exactly one changes the row; the other finds nothing left to claim.
    2. An account scheduled for deletion takes no new devices.
    3. Nothing else changes when the code is wrong, used or expired.
    """
    code_hash = sync_code_hash(code)
    if code_hash is None:
        raise invalid_sync_code_error()
    now = timezone.now()
    # Only the code's own columns in the WHERE: a join would make Django wrap the UPDATE in a
    # subquery, which PostgreSQL does not re-check after waiting for a racing claim.
    claimed = SyncCode.objects.filter(
        code_hash=code_hash, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not claimed:
        raise invalid_sync_code_error()
    user = User.objects.get(sync_codes__code_hash=code_hash)
    if not user.is_active:
        raise invalid_sync_code_error()  # rolls the claim back with everything else
    return user


@transaction.atomic
def sync_code_redeem(*, code: str, device_name: str, platform: str = "") -> tuple[Device, str]:
    """A new device joins the account the code belongs to."""
    user = sync_code_claim(code=code)
    return device_create(user=user, name=device_name, platform=platform)


def sync_codes_remove_expired() -> int:
    """Expired or used codes are worth nothing; keep no trace of them."""
    now = timezone.now()
    deleted, _ = SyncCode.objects.filter(expires_at__lte=now).delete()
    used, _ = SyncCode.objects.filter(used_at__isnull=False).delete()
    return deleted + used
