"""The canonical state, derived from stored days, never from a client's word.

One prepared statement (`state_facts`) reads it all: totals, streaks, recent days and sets
computed in SQL, no ORM compiled per request (that cost more than the queries). Parts a higher
app owns (the challenges the user joined) are folded in as subqueries (`state_sections`).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from django.db import connection
from django.utils import timezone

from accounts.models import User
from progression import state_sections
from progression.levels import level_for_xp
from progression.models import Unlock
from progression.selectors.calendar import iso, user_today

STATE_DAYS = 60


@dataclass(frozen=True)
class StateFacts:
    """Everything the derived state is made of, as one consistent read."""

    sync_version: int
    last_modified: datetime
    preferences_value: object
    preferences_modified_at: datetime | None
    total_xp: int
    total_sessions: int
    total_minutes: int
    current_streak: int
    longest_streak: int
    first_active_date: date | None
    days: list[dict]
    unlocked: dict[str, list[str]]
    # The community challenges the user joined, still running and visible (a higher app's).
    active_challenges: list[dict]


# One statement (fixed text, so PostgreSQL prepares it once per connection) for the whole
# state. Streaks come from the runs of active days (progression_streak_runs(), in
# progression/sql/sync_merge.sql, which the fold reads too); a run is current while it reaches
# yesterday. Sets are sorted by code point (COLLATE "C"), as Python sorts.
_STATE_SQL = """
    WITH state AS (
        SELECT COALESCE(s.sync_version, 0) AS sync_version,
            COALESCE(s.last_modified, %(joined)s) AS last_modified,
            s.preferences_value::json AS preferences_value, s.preferences_modified_at,
            s.first_active_date, COALESCE(s.longest_streak_folded, 0) AS longest_folded,
            s.streak_carry_end AS carry_end, COALESCE(s.streak_carry_length, 0) AS carry_length
        FROM (SELECT 1) AS one
        LEFT JOIN progression_syncstate s ON s.user_id = %(user)s
    ), per_day AS (
        SELECT date, SUM(xp)::bigint AS xp, SUM(sessions)::bigint AS sessions,
            SUM(minutes)::bigint AS minutes
        FROM progression_deviceday WHERE user_id = %(user)s GROUP BY date
    ), runs AS (
        SELECT r.first_day, r.last_day, r.length
        FROM state st, progression_streak_runs(
            ARRAY(SELECT date FROM per_day WHERE sessions > 0),
            st.carry_end, st.carry_length) AS r
    ), day_totals AS (
        SELECT COALESCE(SUM(xp), 0) AS xp, COALESCE(SUM(sessions), 0) AS sessions,
            COALESCE(SUM(minutes), 0) AS minutes
        FROM per_day
    ), baselines AS (
        SELECT COALESCE(SUM(xp + folded_xp), 0) AS xp,
            COALESCE(SUM(sessions + folded_sessions), 0) AS sessions,
            COALESCE(SUM(minutes + folded_minutes), 0) AS minutes
        FROM progression_devicebaseline WHERE user_id = %(user)s
    ), unlocked AS (
        SELECT UNLOCKED_COLUMNS
        FROM progression_unlock WHERE user_id = %(user)s
    )
    SELECT st.sync_version, st.last_modified, st.preferences_value, st.preferences_modified_at,
        t.xp + b.xp + (SELECT COALESCE(SUM(xp), 0) FROM progression_serveraward
                       WHERE user_id = %(user)s),
        t.sessions + b.sessions,
        t.minutes + b.minutes,
        COALESCE((SELECT length FROM runs WHERE last_day >= %(today)s::date - 1
                  ORDER BY first_day DESC LIMIT 1), 0),
        GREATEST(st.longest_folded, (SELECT MAX(length) FROM runs)),
        LEAST(st.first_active_date, (SELECT MIN(first_day) FROM runs)),
        COALESCE((SELECT json_agg(json_build_object('date', date, 'xp', xp,
                      'sessions', sessions, 'minutes', minutes) ORDER BY date)
                  FROM per_day WHERE date BETWEEN %(first)s AND %(today)s), '[]'),
        COALESCE((ACTIVE_CHALLENGES), '[]'::json),
        UNLOCKED_VALUES
    FROM state st, day_totals t, baselines b, unlocked u
"""
_STATE_SQL = _STATE_SQL.replace(
    "UNLOCKED_COLUMNS",
    ",\n            ".join(
        f"""json_agg(key ORDER BY key COLLATE "C") FILTER (WHERE kind = '{kind}') AS {kind}"""
        for kind in Unlock.Kind.values
    ),
).replace(
    "UNLOCKED_VALUES",
    ",\n        ".join(f"COALESCE(u.{kind}, '[]')" for kind in Unlock.Kind.values),
)


@cache
def _statement(active_challenges: str) -> str:
    """The state statement with the registered parts in (one fixed text per process)."""
    return _STATE_SQL.replace("ACTIVE_CHALLENGES", active_challenges)


def state_statement(*, user: User, today: date | None = None) -> tuple[str, dict]:
    """The state statement and its parameters, for a caller that sends it with another
    (`sync_apply` sends it with the merge); `state_facts_from_row` reads its row."""
    today = today or user_today(user=user)
    params = {
        "user": user.pk,
        "joined": user.date_joined,
        "today": today,
        "first": today - timedelta(days=STATE_DAYS - 1),
        "now": timezone.now(),
    }
    return _statement(state_sections.active_challenges_sql()), params


def state_facts_from_row(*, row: tuple) -> StateFacts:
    """The facts in a row of the state statement (`state_statement`)."""
    (version, modified, prefs_value, prefs_at, xp, sessions, minutes) = row[:7]
    current, longest, first_active, days = row[7:11]
    return StateFacts(
        sync_version=version,
        last_modified=modified,
        preferences_value=prefs_value,
        preferences_modified_at=prefs_at,
        total_xp=int(xp),
        total_sessions=int(sessions),
        total_minutes=int(minutes),
        current_streak=current,
        longest_streak=longest,
        first_active_date=first_active,
        days=days,
        unlocked=dict(zip(Unlock.Kind.values, row[12:], strict=True)),
        active_challenges=row[11],
    )


def state_facts(*, user: User, today: date | None = None) -> StateFacts:
    """The user's derived state in one statement: totals, streaks, recent days, sets."""
    sql, params = state_statement(user=user, today=today)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return state_facts_from_row(row=cursor.fetchone())


def sync_state_for(*, user: User) -> dict:
    """`{syncVersion, state}`: the SyncableGameState derived from everything stored."""
    return sync_state_from_facts(facts=state_facts(user=user))


def sync_state_from_facts(*, facts: StateFacts) -> dict:
    """`{syncVersion, state}` from facts already read (`state_facts_from_row`)."""
    level = level_for_xp(facts.total_xp)
    preferences = None
    if facts.preferences_modified_at is not None:
        preferences = {
            "value": facts.preferences_value,
            "modifiedAt": iso(facts.preferences_modified_at),
        }
    game_state = {
        "totalXP": facts.total_xp,
        "currentLevel": level.number,
        "levelTitle": level.title,
        "currentStreak": facts.current_streak,
        "longestStreak": facts.longest_streak,
        "totalSessions": facts.total_sessions,
        "totalMinutes": facts.total_minutes,
        "unlockedAchievements": facts.unlocked[Unlock.Kind.ACHIEVEMENT],
        "unlockedPatterns": facts.unlocked[Unlock.Kind.PATTERN],
        "unlockedPresetsLibrary": facts.unlocked[Unlock.Kind.PRESET],
        "challengeHistory": facts.unlocked[Unlock.Kind.CHALLENGE],
        # Community challenges the user joined: server-owned (state_sections).
        "activeChallenges": facts.active_challenges,
        "preferences": preferences,
        "days": facts.days,
        "lastModified": iso(facts.last_modified),
        "syncVersion": facts.sync_version,
    }
    return {"syncVersion": facts.sync_version, "state": game_state}
