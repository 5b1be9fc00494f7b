"""The data export: one JSON document of everything the server keeps about a user."""

import logging
import math
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts import extensions
from accounts.models import DataExport, DataExportStatus, User
from accounts.selectors import user_export_document
from breathmaster.api.errors import ApplicationError

logger = logging.getLogger(__name__)

EXPORT_LIFETIME = timedelta(hours=24)
# A pending export older than this was lost on the way (a worker restart); start afresh.
EXPORT_PATIENCE = timedelta(hours=1)
# Each export is built and kept for a day: a few an hour is plenty for a person.
EXPORTS_PER_WINDOW = 3
EXPORT_WINDOW = timedelta(hours=1)


@transaction.atomic
def data_export_request(*, user: User) -> DataExport:
    """Start an export, or answer the one already being prepared.

    1. The user's row is locked, so two requests at once cannot both start one.
    2. A pending export is answered again (same id), whatever the limit.
    3. Beyond EXPORTS_PER_WINDOW started in the last hour: 429 with the seconds to wait.
    """
    User.objects.select_for_update().filter(pk=user.pk).exists()
    now = timezone.now()
    pending = DataExport.objects.filter(
        user=user, status=DataExportStatus.PENDING, created_at__gt=now - EXPORT_PATIENCE
    ).first()
    if pending is not None:
        return pending
    started = list(
        DataExport.objects.filter(user=user, created_at__gt=now - EXPORT_WINDOW)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:EXPORTS_PER_WINDOW]
    )
    if len(started) >= EXPORTS_PER_WINDOW:
        raise _too_many_exports(wait=started[-1] + EXPORT_WINDOW - now)
    export = DataExport.objects.create(user=user)
    from accounts.tasks import data_export_build as build_task

    build_task.delay_on_commit(str(export.id))
    return export


def _too_many_exports(*, wait: timedelta) -> ApplicationError:
    seconds = max(1, math.ceil(wait.total_seconds()))
    return ApplicationError(
        "You have made a few exports in the last hour. The latest one is still there for you; "
        "a new one can start in a little while.",
        code="rate_limited",
        status_code=429,
        headers={"Retry-After": str(seconds)},
        extra={"retryAfter": seconds},
    )


def data_export_build(*, export_id) -> DataExport | None:
    """Write the document; a failure is recorded so the user is told, never left waiting."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update(skip_locked=True)
            .select_related("user")
            .filter(pk=export_id, status=DataExportStatus.PENDING)
            .first()
        )
        if export is None:
            return None
        try:
            with transaction.atomic():
                document = user_export_document(
                    user=export.user, sections=extensions.export_sections
                )
        except Exception:
            logger.exception("Export %s failed", export_id)
            export.status = DataExportStatus.FAILED
            export.finished_at = timezone.now()
            export.save(update_fields=["status", "finished_at"])
            return export
        now = timezone.now()
        export.document = document
        export.status = DataExportStatus.READY
        export.finished_at = now
        export.expires_at = now + EXPORT_LIFETIME
        export.save(update_fields=["document", "status", "finished_at", "expires_at"])
        return export


def data_exports_remove_expired() -> int:
    now = timezone.now()
    stale = now - EXPORT_LIFETIME
    expired, _ = DataExport.objects.filter(expires_at__lte=now).delete()
    # Failed or lost exports never got an expiry of their own.
    unfinished, _ = (
        DataExport.objects.exclude(status=DataExportStatus.READY)
        .filter(created_at__lte=stale)
        .delete()
    )
    return expired + unfinished
