"""Reads: the canonical state derived from stored days, never from a client's word.

On PostgreSQL the sync state is one prepared statement (`state_facts`): totals, streaks,
recent days and sets computed in SQL, no ORM compiled per request (that cost more than the
queries). Other reads, and the state on other databases, go one query per concern through the
ORM.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import connection
from django.db.models import F, Min, Sum
from django.utils import timezone

from accounts.models import User
from billing.selectors import entitlements_for
from progression import rules
from progression.levels import level_for_xp
from progression.models import (
    DeviceBaseline,
    DeviceDay,
    ServerAward,
    SyncFlag,
    SyncState,
    Unlock,
)
from progression.streaks import runs_from_dates, runs_with_carry, streaks_from_runs

STATE_DAYS = 60
STATS_PERIODS = ("daily", "weekly", "monthly")


def user_zone(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def user_today(user: User) -> date:
    return timezone.now().astimezone(user_zone(user)).date()


def utc_today() -> date:
    return timezone.now().astimezone(UTC).date()


def iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds") if moment else None


def active_runs(user: User) -> list[tuple[date, date]]:
    """Runs of consecutive active days (a session on any device), oldest first."""
    dates = (
        DeviceDay.objects.filter(user=user, sessions__gt=0)
        .order_by("date")
        .values_list("date", flat=True)
        .distinct()
    )
    return runs_from_dates(list(dates))


def _totals(user: User) -> tuple[int, int, int]:
    """Total XP, sessions and minutes: kept days + baselines (+ folded days) + server awards."""
    days = DeviceDay.objects.filter(user=user).aggregate(
        xp=Sum("xp"), sessions=Sum("sessions"), minutes=Sum("minutes")
    )
    baselines = DeviceBaseline.objects.filter(user=user).aggregate(
        xp=Sum(F("xp") + F("folded_xp")),
        sessions=Sum(F("sessions") + F("folded_sessions")),
        minutes=Sum(F("minutes") + F("folded_minutes")),
    )
    awards = ServerAward.objects.filter(user=user).aggregate(xp=Sum("xp"))

    def total(*sums) -> int:
        return int(sum(value or 0 for value in sums))

    return (
        total(days["xp"], baselines["xp"], awards["xp"]),
        total(days["sessions"], baselines["sessions"]),
        total(days["minutes"], baselines["minutes"]),
    )


def days_summed(*, user: User, first: date, last: date) -> list[dict]:
    """Each day in [first, last] with activity, summed over devices, oldest first."""
    rows = (
        DeviceDay.objects.filter(user=user, date__range=(first, last))
        .values("date")
        .annotate(xp=Sum("xp"), sessions=Sum("sessions"), minutes=Sum("minutes"))
        .order_by("date")
    )
    return [
        {
            "date": row["date"].isoformat(),
            "xp": int(row["xp"]),
            "sessions": int(row["sessions"]),
            "minutes": int(row["minutes"]),
        }
        for row in rows
    ]


def _sync_state(user: User) -> SyncState:
    return SyncState.objects.filter(user=user).first() or SyncState(
        user=user, last_modified=user.date_joined
    )


def _unlocks(user: User) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {kind: [] for kind in Unlock.Kind.values}
    for kind, key in Unlock.objects.filter(user=user).values_list("kind", "key"):
        sets[kind].append(key)
    # Sorted, so the answer does not depend on the order things arrived in.
    return {kind: sorted(keys) for kind, keys in sets.items()}


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


# One statement (fixed text, so PostgreSQL prepares it once per connection) for the whole
# state. Streaks are gaps-and-islands over the active days: a run's days minus their row
# numbers are constant; the first run continues a folded one that ended the day before it
# (streaks.runs_with_carry), and a run is current while it reaches yesterday
# (streaks.streaks_from_runs). Sets are sorted by code point (COLLATE "C"), as Python sorts.
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
    ), islands AS (
        SELECT MIN(date) AS first_day, MAX(date) AS last_day, COUNT(*)::int AS length
        FROM (
            SELECT date, date - (ROW_NUMBER() OVER (ORDER BY date))::int AS island
            FROM per_day WHERE sessions > 0
        ) AS numbered
        GROUP BY island
    ), runs AS (
        SELECT i.first_day, i.last_day, i.length + CASE
            WHEN i.first_day = MIN(i.first_day) OVER () AND i.first_day = st.carry_end + 1
            THEN st.carry_length ELSE 0 END AS length
        FROM islands i CROSS JOIN state st
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


def state_facts(*, user: User, today: date | None = None) -> StateFacts:
    """The user's derived state in one statement: totals, streaks, recent days, sets."""
    today = today or user_today(user)
    if connection.vendor != "postgresql":
        return _state_facts_portable(user=user, today=today)
    params = {
        "user": user.pk,
        "joined": user.date_joined,
        "today": today,
        "first": today - timedelta(days=STATE_DAYS - 1),
    }
    with connection.cursor() as cursor:
        cursor.execute(_STATE_SQL, params)
        row = cursor.fetchone()
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
        unlocked=dict(zip(Unlock.Kind.values, row[11:], strict=True)),
    )


def _state_facts_portable(*, user: User, today: date) -> StateFacts:
    """The same facts one query per concern through the ORM, for databases other than
    PostgreSQL (`make run` falls back to SQLite); the statement above is the served path."""
    state = _sync_state(user)
    xp, sessions, minutes = _totals(user)
    raw_runs = active_runs(user)
    runs = runs_with_carry(raw_runs, state.streak_carry_end, state.streak_carry_length)
    streaks = streaks_from_runs(runs, today=today, longest_folded=state.longest_streak_folded)
    known = [state.first_active_date] + ([raw_runs[0][0]] if raw_runs else [])
    return StateFacts(
        sync_version=state.sync_version,
        last_modified=state.last_modified,
        preferences_value=state.preferences_value,
        preferences_modified_at=state.preferences_modified_at,
        total_xp=xp,
        total_sessions=sessions,
        total_minutes=minutes,
        current_streak=streaks.current,
        longest_streak=streaks.longest,
        first_active_date=min(filter(None, known), default=None),
        days=days_summed(user=user, first=today - timedelta(days=STATE_DAYS - 1), last=today),
        unlocked=_unlocks(user),
    )


def sync_state_for(*, user: User) -> dict:
    """`{syncVersion, state}`: the SyncableGameState derived from everything stored."""
    facts = state_facts(user=user)
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
        # Community challenges the user joined: server-owned, none until challenges exist.
        "activeChallenges": [],
        "preferences": preferences,
        "days": facts.days,
        "lastModified": iso(facts.last_modified),
        "syncVersion": facts.sync_version,
    }
    return {"syncVersion": facts.sync_version, "state": game_state}


def account_age_days(*, first_seen: date | None, today: date) -> int:
    return (today - first_seen).days if first_seen else 0


def eligibility_for_user(*, user: User) -> dict:
    """The invitation's rules judged on the server's own derived state."""
    today = user_today(user)
    facts = state_facts(user=user, today=today)
    return rules.eligibility_judge(
        total_xp=facts.total_xp,
        total_sessions=facts.total_sessions,
        current_streak=facts.current_streak,
        account_age_days=account_age_days(first_seen=facts.first_active_date, today=today),
    )


def eligibility_for_numbers(
    *,
    user: User | None,
    total_xp: int,
    total_sessions: int,
    current_streak: int,
    first_seen: date,
) -> dict:
    """The invitation's rules judged on the numbers a client gives (the extension's own).

    Account age counts to the user's today when the caller is known, else to today in UTC.
    """
    today = user_today(user) if user is not None else utc_today()
    return rules.eligibility_judge(
        total_xp=total_xp,
        total_sessions=total_sessions,
        current_streak=current_streak,
        account_age_days=account_age_days(first_seen=first_seen, today=today),
    )


def user_is_flagged(*, user: User) -> bool:
    """Whether staff have an open question about this user's days (kept off leaderboards)."""
    return SyncFlag.objects.filter(user=user, cleared_at__isnull=True).exists()


def dashboard_summary(*, user: User) -> dict:
    """What the web dashboard shows: level, XP to the next, streak, today, the last 7 days."""
    answer = sync_state_for(user=user)["state"]
    today = user_today(user)
    level = level_for_xp(answer["totalXP"])
    by_date = {day["date"]: day for day in answer["days"]}
    week = []
    for offset in range(6, -1, -1):
        day = today - timedelta(days=offset)
        counters = by_date.get(day.isoformat(), {"minutes": 0, "xp": 0, "sessions": 0})
        week.append({"date": day, "minutes": counters["minutes"], "xp": counters["xp"]})
    most = max([day["minutes"] for day in week] + [1])
    for day in week:
        day["height"] = round(100 * day["minutes"] / most)
    return {
        "state": answer,
        "level": level,
        "progress_percent": round(100 * level.progress(answer["totalXP"])),
        "xp_to_next": level.next_xp_required - answer["totalXP"],
        "today_minutes": by_date.get(today.isoformat(), {"minutes": 0})["minutes"],
        "week": week,
    }


def _period_start(day: date, period: str) -> date:
    if period == "weekly":
        return day - timedelta(days=day.weekday())
    if period == "monthly":
        return day.replace(day=1)
    return day


def stats_series(*, user: User, period: str) -> dict:
    """Synced days per day, week (Monday first) or month, within the plan's history length."""
    today = user_today(user)
    history_days = entitlements_for(user=user)["limits"].get("analyticsHistoryDays")
    if history_days is None:
        oldest = DeviceDay.objects.filter(user=user).order_by("date").values("date").first()
        first = oldest["date"] if oldest else today
    else:
        first = today - timedelta(days=history_days - 1)
    buckets: dict[date, dict] = {}
    cursor = first
    while cursor <= today:
        start = _period_start(cursor, period)
        buckets.setdefault(
            start,
            {"start": start.isoformat(), "xp": 0, "sessions": 0, "minutes": 0, "activeDays": 0},
        )
        cursor += timedelta(days=1)
    for day in days_summed(user=user, first=first, last=today):
        bucket = buckets[_period_start(date.fromisoformat(day["date"]), period)]
        for name in ("xp", "sessions", "minutes"):
            bucket[name] += day[name]
        bucket["activeDays"] += 1 if day["sessions"] > 0 else 0
    return {
        "period": period,
        "from": first.isoformat(),
        "to": today.isoformat(),
        "historyDays": history_days,
        "series": list(buckets.values()),
    }


def export_for_user(user: User) -> dict:
    """Everything progression keeps about the user, for the data export."""
    state = SyncState.objects.filter(user=user).first()
    days = DeviceDay.objects.filter(user=user).order_by("date", "device_id")
    baselines = DeviceBaseline.objects.filter(user=user).order_by("device_id")
    return {
        "days": [
            {
                "deviceId": str(day.device_id) if day.device_id else None,
                "date": day.date.isoformat(),
                "xp": day.xp,
                "sessions": day.sessions,
                "minutes": day.minutes,
            }
            for day in days
        ],
        "baselines": [
            {
                "deviceId": str(b.device_id) if b.device_id else None,
                "xp": b.xp,
                "sessions": b.sessions,
                "minutes": b.minutes,
                "foldedXp": b.folded_xp,
                "foldedSessions": b.folded_sessions,
                "foldedMinutes": b.folded_minutes,
                "foldedThrough": b.folded_through.isoformat() if b.folded_through else None,
            }
            for b in baselines
        ],
        "unlocked": _unlocks(user),
        "preferences": (
            {"value": state.preferences_value, "modifiedAt": iso(state.preferences_modified_at)}
            if state and state.preferences_modified_at
            else None
        ),
        "syncVersion": state.sync_version if state else 0,
        "flaggedDays": [
            day.isoformat()
            for day in SyncFlag.objects.filter(user=user)
            .order_by("date")
            .values_list("date", flat=True)
        ],
    }


def users_with_days_to_fold() -> list:
    """Users who may have days past their retention (a day of slack for timezones)."""
    if connection.vendor != "postgresql":
        return _users_with_days_to_fold_portable()
    sql = """
        SELECT DISTINCT d.user_id FROM progression_deviceday d
        JOIN accounts_user u ON u.id = d.user_id
        WHERE d.date < CURRENT_DATE + 1 - u.data_retention_days
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


def _users_with_days_to_fold_portable() -> list:
    """The same users through the ORM (SQLite has no date arithmetic with integers)."""
    tomorrow = utc_today() + timedelta(days=1)
    oldest = (
        DeviceDay.objects.values("user_id", "user__data_retention_days")
        .annotate(oldest=Min("date"))
        .order_by()
    )
    return [
        row["user_id"]
        for row in oldest
        if row["oldest"] < tomorrow - timedelta(days=row["user__data_retention_days"])
    ]
