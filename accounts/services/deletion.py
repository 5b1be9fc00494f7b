"""Deleting an account: scheduled at once, undoable for seven days, then erased for good."""

import logging
import secrets
import uuid
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts import extensions
from accounts.models import DataExport, DeletionRequest, Device, User, UserSession, hash_token
from accounts.services.devices import device_create, devices_revoke_all
from breathmaster.api.errors import ApplicationError

logger = logging.getLogger(__name__)

DELETION_GRACE = timedelta(days=7)
RESTORE_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def restore_code_new() -> str:
    groups = ("".join(secrets.choice(RESTORE_CODE_ALPHABET) for _ in range(5)) for _ in range(4))
    return "-".join(groups)


def restore_code_hash(code: str) -> str:
    return hash_token(code.strip().lower())


def invalid_restore_code_error() -> ApplicationError:
    return ApplicationError(
        "That restore code is not valid, or the account can no longer be restored.",
        code="invalid_restore_code",
    )


@transaction.atomic
def user_deletion_schedule(*, user: User) -> tuple[DeletionRequest, str]:
    """Sign the account out everywhere and schedule its erasure; answer the one-time restore code.

    Until erasure the account is inactive: its tokens, sessions and export links fail, and every
    app that lists active users leaves it out. `deletion_hooks` (a subscription to cancel) run here.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ApplicationError("This account is already scheduled for deletion.", code="inactive")
    code = restore_code_new()
    request = DeletionRequest.objects.create(
        user=user,
        restore_code_hash=restore_code_hash(code),
        scheduled_for=timezone.now() + DELETION_GRACE,
    )
    devices_revoke_all(user=user)
    # Every export link ends now, signed ones still within their day included.
    DataExport.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(is_active=False)
    for hook in extensions.deletion_hooks:
        hook(user)
    return request, code


def _pending_request_for(user: User) -> DeletionRequest | None:
    return (
        DeletionRequest.objects.select_for_update()
        .filter(user=user, restored_at__isnull=True, erased_at__isnull=True)
        .filter(scheduled_for__gt=timezone.now())
        .first()
    )


def _restore(request: DeletionRequest) -> User:
    request.restored_at = timezone.now()
    request.restore_code_hash = ""
    user = request.user
    request.user = None
    request.save(update_fields=["restored_at", "restore_code_hash", "user"])
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    for hook in extensions.return_hooks:
        hook(user)
    return user


@transaction.atomic
def user_restore_with_code(
    *, restore_code: str, device_name: str, platform: str = ""
) -> tuple[Device, str]:
    """Undo a scheduled deletion with its one-time code; a new device signs in."""
    if not restore_code.strip():
        raise invalid_restore_code_error()
    request = (
        DeletionRequest.objects.select_for_update()
        .select_related("user")
        .filter(
            restore_code_hash=restore_code_hash(restore_code),
            restored_at__isnull=True,
            erased_at__isnull=True,
            scheduled_for__gt=timezone.now(),
            user__isnull=False,
        )
        .first()
    )
    if request is None:
        raise invalid_restore_code_error()
    user = _restore(request)
    return device_create(user=user, name=device_name, platform=platform)


@transaction.atomic
def user_restore_on_sign_in(*, user: User) -> bool:
    """A verified-email user who signs in on the web inside the window keeps the account."""
    if user.is_active or not EmailAddress.objects.filter(user=user, verified=True).exists():
        return False
    request = _pending_request_for(user)
    if request is None:
        return False
    _restore(request)
    user.is_active = True
    return True


def deletion_requests_due() -> list[uuid.UUID]:
    return list(
        DeletionRequest.objects.filter(
            scheduled_for__lte=timezone.now(),
            restored_at__isnull=True,
            erased_at__isnull=True,
            user__isnull=False,
        ).values_list("id", flat=True)
    )


def _erase_sessions(user: User) -> None:
    UserSession.objects.filter(user_id=user.pk).delete()


def _erase_admin_log(user: User) -> None:
    user_type = ContentType.objects.get_for_model(User)
    LogEntry.objects.filter(
        content_type=user_type, object_id__in=[str(user.pk), user.pk.hex]
    ).delete()


@transaction.atomic
def user_erase(*, deletion_request_id: uuid.UUID) -> bool:
    """Erase one due account for good; False when there was nothing (left) to do.

    1. Claim the request with SELECT ... FOR UPDATE SKIP LOCKED: two workers never erase the
       same account; the second skips it, or finds it already erased.
    2. Run every app's `erasure_hooks`, then remove the rows that do not cascade from the user
       (sessions, admin log entries about them), then the user (everything else cascades).
    3. Keep the request with its dates only.
    """
    request = (
        DeletionRequest.objects.select_for_update(skip_locked=True)
        .select_related("user")
        .filter(
            pk=deletion_request_id,
            scheduled_for__lte=timezone.now(),
            restored_at__isnull=True,
            erased_at__isnull=True,
            user__isnull=False,
        )
        .first()
    )
    if request is None:
        return False
    user = request.user
    for hook in extensions.erasure_hooks:
        hook(user)
    _erase_sessions(user)
    _erase_admin_log(user)
    user.delete()
    DeletionRequest.objects.filter(pk=request.pk).update(
        erased_at=timezone.now(), restore_code_hash="", user=None
    )
    return True


def user_erase_due() -> int:
    erased = 0
    for request_id in deletion_requests_due():
        if user_erase(deletion_request_id=request_id):
            erased += 1
    return erased
