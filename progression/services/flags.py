"""Flags: progress kept for staff to look at, counted nowhere until cleared.

Flags are raised by progression_sync_merge() (steps 4 and 9 of progression/sql/sync_merge.sql):
a day far above the user's own recent median, or a baseline above what its span makes usual.
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from progression.events import announce_on_commit, days_changed
from progression.models import SyncFlag


def flags_clear(*, flag_ids: list[int], by: User) -> int:
    """Staff looked and found nothing wrong: the progress counts on leaderboards again."""
    with transaction.atomic():
        flags = list(
            SyncFlag.objects.select_for_update()
            .filter(pk__in=flag_ids, cleared_at__isnull=True)
            .values_list("pk", "user_id", "date")
        )
        SyncFlag.objects.filter(pk__in=[pk for pk, _user, _date in flags]).update(
            cleared_at=timezone.now(), cleared_by=by
        )
        for user_id in {user_id for _pk, user_id, _date in flags}:
            dates = sorted({day for _pk, owner, day in flags if owner == user_id and day})
            announce_on_commit(days_changed, user_id=user_id, dates=dates)
    return len(flags)
