"""Staff's open questions about a user's progress: flagged XP stays in the user's own totals
and counts on no leaderboard and in no challenge until staff clear the flag.

Two kinds (SyncFlag.Kind): a `day` far above the user's own recent median, and a `baseline`
(a device's progress from before per-day counters, or an import's unexplained rest) above what
the span it covers makes usual.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from uuid import UUID

from django.db import connection

from accounts.models import User
from progression.models import SyncFlag


def user_is_flagged(*, user: User) -> bool:
    """Whether staff have any open question about this user's progress (days or baselines)."""
    return SyncFlag.objects.filter(user=user, cleared_at__isnull=True).exists()


def user_has_open_baseline_flag(*, user: User) -> bool:
    """Whether one of the user's baselines waits for staff (its XP counts on no board)."""
    return SyncFlag.objects.filter(
        user=user, kind=SyncFlag.Kind.BASELINE, cleared_at__isnull=True
    ).exists()


def flagged_dates(*, user_ids: Iterable[UUID]) -> dict[UUID, set[date]]:
    """The days with an open flag, per user (users with none are absent).

    A board or a challenge leaves these days out entirely (every device's counters of that
    day) until staff clear the flag.
    """
    days: dict[UUID, set[date]] = defaultdict(set)
    flags = SyncFlag.objects.filter(
        user_id__in=list(user_ids), kind=SyncFlag.Kind.DAY, cleared_at__isnull=True
    ).values_list("user_id", "date")
    for user_id, day in flags:
        days[user_id].add(day)
    return dict(days)


_FLAGGED_BASELINE_XP_SQL = """
    SELECT b.user_id, SUM(b.xp)::bigint FROM progression_devicebaseline b
    WHERE b.user_id = ANY(%(users)s::uuid[]) AND EXISTS (
        SELECT 1 FROM progression_syncflag f
        WHERE f.user_id = b.user_id AND f.kind = 'baseline' AND f.cleared_at IS NULL
            AND f.device_id IS NOT DISTINCT FROM b.device_id)
    GROUP BY b.user_id
"""


def flagged_baseline_xp(*, user_ids: Iterable[UUID]) -> dict[UUID, int]:
    """XP of the users' baselines that have an open flag (users with none are absent).

    An all-time board subtracts it from the user's total until staff clear the flag; no
    challenge counts baselines at all (challenges count synced days).
    """
    with connection.cursor() as cursor:
        cursor.execute(_FLAGGED_BASELINE_XP_SQL, {"users": [str(u) for u in user_ids]})
        return {user_id: int(xp) for user_id, xp in cursor.fetchall()}
