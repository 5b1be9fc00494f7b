"""Bulk reads for leaderboards and challenges (social reads them; progression never calls up).

Every figure leaves out days staff have flagged and not yet cleared, and the XP of flagged
baselines: flagged XP counts on no board and in no challenge (progression.selectors.flags).
Raw SQL because the rebuild reads a million users at once.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from uuid import UUID

from django.db import connection

# Days of one window, summed over devices, flagged days left out.
_WINDOW_SQL = """
    SELECT d.user_id, SUM(d.xp)::bigint, SUM(d.minutes)::bigint
    FROM progression_deviceday d
    WHERE d.date BETWEEN %(first)s AND %(last)s {users}
      AND NOT EXISTS (
        SELECT 1 FROM progression_syncflag f WHERE f.user_id = d.user_id AND f.kind = 'day'
            AND f.date = d.date AND f.cleared_at IS NULL)
    GROUP BY d.user_id
"""

# The whole total, as `/sync/state` counts it, flagged days and flagged baselines' XP left
# out: days + baselines (with folded days) + server awards.
_TOTAL_SQL = """
    SELECT user_id, SUM(xp)::bigint, SUM(minutes)::bigint FROM (
        SELECT d.user_id, d.xp::bigint AS xp, d.minutes::bigint AS minutes
        FROM progression_deviceday d
        WHERE NOT EXISTS (
            SELECT 1 FROM progression_syncflag f
            WHERE f.user_id = d.user_id AND f.date = d.date AND f.cleared_at IS NULL) {users_d}
        UNION ALL
        SELECT b.user_id, b.folded_xp + CASE WHEN EXISTS (
                SELECT 1 FROM progression_syncflag f
                WHERE f.user_id = b.user_id AND f.kind = 'baseline' AND f.cleared_at IS NULL
                    AND f.device_id IS NOT DISTINCT FROM b.device_id)
            THEN 0 ELSE b.xp END,
            b.minutes + b.folded_minutes
        FROM progression_devicebaseline b WHERE TRUE {users_b}
        UNION ALL
        SELECT a.user_id, a.xp, 0 FROM progression_serveraward a WHERE TRUE {users_a}
    ) AS parts
    GROUP BY user_id
"""


def _user_filter(alias: str, user_ids) -> str:
    return "" if user_ids is None else f"AND {alias}.user_id = ANY(%(users)s)"


def board_scores(
    *, first: date | None, last: date | None, user_ids: Iterable[UUID] | None = None
) -> Iterator[tuple[UUID, int, int]]:
    """`(user_id, xp, minutes)` per user with any counted progress in `[first, last]`.

    `first` None means the whole total. `user_ids` None means everyone (a rebuild).
    """
    params: dict = {"first": first, "last": last}
    if user_ids is not None:
        params["users"] = list(user_ids)
    if first is None:
        sql = _TOTAL_SQL.format(
            users_d=_user_filter("d", user_ids),
            users_b=_user_filter("b", user_ids),
            users_a=_user_filter("a", user_ids),
        )
    else:
        sql = _WINDOW_SQL.format(users=_user_filter("d", user_ids))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(20_000):
            for user_id, xp, minutes in rows:
                yield user_id, int(xp or 0), int(minutes or 0)


_DAYS_SQL = """
    SELECT d.user_id, d.date, SUM(d.xp)::bigint, SUM(d.sessions)::bigint,
        SUM(d.minutes)::bigint
    FROM progression_deviceday d
    WHERE d.user_id = ANY(%(users)s) AND d.date BETWEEN %(first)s AND %(last)s
      AND NOT EXISTS (
        SELECT 1 FROM progression_syncflag f WHERE f.user_id = d.user_id AND f.kind = 'day'
            AND f.date = d.date AND f.cleared_at IS NULL)
    GROUP BY d.user_id, d.date
    ORDER BY d.user_id, d.date
"""


def counted_days(*, user_ids: Iterable[UUID], first: date, last: date) -> dict[UUID, list[dict]]:
    """Each user's days in `[first, last]` summed over devices, oldest first, flags left out."""
    days: dict[UUID, list[dict]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(_DAYS_SQL, {"users": list(user_ids), "first": first, "last": last})
        for user_id, day, xp, sessions, minutes in cursor.fetchall():
            days[user_id].append(
                {"date": day, "xp": int(xp), "sessions": int(sessions), "minutes": int(minutes)}
            )
    return dict(days)


_RUNS_SQL = """
    WITH active AS (
        SELECT DISTINCT d.user_id, d.date FROM progression_deviceday d
        WHERE d.user_id = ANY(%(users)s) AND d.sessions > 0
    ), islands AS (
        SELECT user_id, MIN(date) AS first_day, MAX(date) AS last_day, COUNT(*)::int AS length
        FROM (SELECT user_id, date,
                date - (ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY date))::int AS island
              FROM active) AS numbered
        GROUP BY user_id, island
    )
    SELECT DISTINCT ON (i.user_id) i.user_id, i.last_day, i.length + CASE
        WHEN i.first_day = s.streak_carry_end + 1
         AND i.first_day = MIN(i.first_day) OVER (PARTITION BY i.user_id)
        THEN s.streak_carry_length ELSE 0 END
    FROM islands i LEFT JOIN progression_syncstate s ON s.user_id = i.user_id
    ORDER BY i.user_id, i.last_day DESC
"""


def last_runs(*, user_ids: Iterable[UUID]) -> dict[UUID, tuple[date, int]]:
    """Each user's latest run of active days: (its last day, its length, folded days counted).

    The current streak is its length while the last day is the user's yesterday or later
    (`progression.streaks.streaks_from_runs`); users with no active day are left out.
    """
    with connection.cursor() as cursor:
        cursor.execute(_RUNS_SQL, {"users": list(user_ids)})
        return {user_id: (last, int(length)) for user_id, last, length in cursor.fetchall()}
