"""Flags: stored days far above the user's own recent median, kept but counted nowhere."""

from datetime import date

from django.db import connection
from django.utils import timezone

from accounts.models import User
from progression import rules
from progression.models import SyncFlag

# Days that may be flagged: the written days above FLAG_MIN_XP, each with the per-day XP of
# the user's active days in the window before it and their median. `_flags_create` applies
# the rule (progression_sync_upload() does both in SQL for the one-call upload).
_FLAG_SQL = """
    WITH written AS (SELECT unnest(%(dates)s::date[]) AS date),
    user_days AS (
        SELECT date, xp, sessions FROM progression_deviceday
        WHERE user_id = %(user)s
            AND date >= (SELECT MIN(date) FROM written) - %(window)s
            AND date <= (SELECT MAX(date) FROM written)
    ), candidate AS (
        SELECT date, SUM(xp) AS xp FROM user_days
        WHERE date IN (SELECT date FROM written)
        GROUP BY date HAVING SUM(xp) > %(min_xp)s
    ), history AS (
        SELECT c.date, c.xp, h.day_xp FROM candidate c
        LEFT JOIN LATERAL (
            SELECT SUM(d.xp) AS day_xp FROM user_days d
            WHERE d.sessions > 0 AND d.date >= c.date - %(window)s AND d.date < c.date
            GROUP BY d.date
        ) h ON true
    )
    SELECT date, xp, COUNT(day_xp),
        COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY day_xp), 0)
    FROM history GROUP BY date, xp
"""

_FLAG_PARAMS = {"min_xp": rules.FLAG_MIN_XP, "window": rules.FLAG_WINDOW_DAYS}


def _flags_raise(*, user: User, dates: list[date]) -> None:
    """Flag days far above the user's own recent median; they stay stored, off leaderboards."""
    if not dates:
        return
    with connection.cursor() as cursor:
        cursor.execute(_FLAG_SQL, {"user": user.pk, "dates": dates, **_FLAG_PARAMS})
        _flags_create(user=user, rows=cursor.fetchall())


def _flags_create(*, user: User, rows) -> None:
    """Flags for the checked days (date, xp, history days, median) that the rule picks out."""
    flags = [
        SyncFlag(
            user=user,
            date=day,
            day_xp=xp,
            median_xp=median,
            reason=f"{xp} XP against a median of {median:g} over the {history} days before",
        )
        for day, xp, history, median in rows
        if history >= rules.FLAG_MIN_HISTORY_DAYS and xp > rules.FLAG_MEDIAN_FACTOR * median
    ]
    if flags:
        SyncFlag.objects.bulk_create(flags, ignore_conflicts=True)


def flags_clear(*, flag_ids: list[int], by: User) -> int:
    """Staff looked and found nothing wrong: the days count on leaderboards again."""
    return SyncFlag.objects.filter(pk__in=flag_ids, cleared_at__isnull=True).update(
        cleared_at=timezone.now(), cleared_by=by
    )
