"""Reads: the canonical state derived from stored days, never from a client's word.

One query per concern (totals, recent days, runs of active days, unlocked sets), no N+1.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import connection
from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
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
from progression.streaks import Streaks, runs_from_dates, runs_with_carry, streaks_from_runs

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


def _sum_for_user(model, expression):
    per_user = model.objects.filter(user=OuterRef("pk")).values("user")
    return Coalesce(Subquery(per_user.annotate(total=Sum(expression)).values("total")), 0)


def _totals(user: User) -> tuple[int, int, int]:
    """Total XP, sessions and minutes: kept days + baselines (+ folded days) + server awards."""
    totals = (
        User.objects.filter(pk=user.pk)
        .annotate(
            day_xp=_sum_for_user(DeviceDay, "xp"),
            day_sessions=_sum_for_user(DeviceDay, "sessions"),
            day_minutes=_sum_for_user(DeviceDay, "minutes"),
            base_xp=_sum_for_user(DeviceBaseline, F("xp") + F("folded_xp")),
            base_sessions=_sum_for_user(DeviceBaseline, F("sessions") + F("folded_sessions")),
            base_minutes=_sum_for_user(DeviceBaseline, F("minutes") + F("folded_minutes")),
            award_xp=_sum_for_user(ServerAward, "xp"),
        )
        .values(
            "day_xp",
            "day_sessions",
            "day_minutes",
            "base_xp",
            "base_sessions",
            "base_minutes",
            "award_xp",
        )
        .get()
    )
    return (
        int(totals["day_xp"] + totals["base_xp"] + totals["award_xp"]),
        int(totals["day_sessions"] + totals["base_sessions"]),
        int(totals["day_minutes"] + totals["base_minutes"]),
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


def user_streaks(*, user: User, state: SyncState | None = None) -> Streaks:
    state = state or _sync_state(user)
    runs = runs_with_carry(active_runs(user), state.streak_carry_end, state.streak_carry_length)
    return streaks_from_runs(
        runs, today=user_today(user), longest_folded=state.longest_streak_folded
    )


def _first_active_date(user: User, state: SyncState, runs: list[tuple[date, date]]):
    known = [state.first_active_date] + ([runs[0][0]] if runs else [])
    return min(filter(None, known), default=None)


def _unlocks(user: User) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {kind: [] for kind in Unlock.Kind.values}
    for kind, key in Unlock.objects.filter(user=user).values_list("kind", "key"):
        sets[kind].append(key)
    # Sorted, so the answer does not depend on the order things arrived in.
    return {kind: sorted(keys) for kind, keys in sets.items()}


def sync_state_for(*, user: User, state: SyncState | None = None) -> dict:
    """`{syncVersion, state}`: the SyncableGameState derived from everything stored."""
    state = state or _sync_state(user)
    today = user_today(user)
    xp, sessions, minutes = _totals(user)
    raw_runs = active_runs(user)
    runs = runs_with_carry(raw_runs, state.streak_carry_end, state.streak_carry_length)
    streaks = streaks_from_runs(runs, today=today, longest_folded=state.longest_streak_folded)
    level = level_for_xp(xp)
    sets = _unlocks(user)
    preferences = None
    if state.preferences_modified_at is not None:
        preferences = {
            "value": state.preferences_value,
            "modifiedAt": iso(state.preferences_modified_at),
        }
    game_state = {
        "totalXP": xp,
        "currentLevel": level.number,
        "levelTitle": level.title,
        "currentStreak": streaks.current,
        "longestStreak": streaks.longest,
        "totalSessions": sessions,
        "totalMinutes": minutes,
        "unlockedAchievements": sets[Unlock.Kind.ACHIEVEMENT],
        "unlockedPatterns": sets[Unlock.Kind.PATTERN],
        "unlockedPresetsLibrary": sets[Unlock.Kind.PRESET],
        "challengeHistory": sets[Unlock.Kind.CHALLENGE],
        # Community challenges the user joined: server-owned, none until challenges exist.
        "activeChallenges": [],
        "preferences": preferences,
        "days": days_summed(user=user, first=today - timedelta(days=STATE_DAYS - 1), last=today),
        "lastModified": iso(state.last_modified),
        "syncVersion": state.sync_version,
    }
    return {"syncVersion": state.sync_version, "state": game_state}


def account_age_days(*, first_seen: date | None, today: date) -> int:
    return (today - first_seen).days if first_seen else 0


def eligibility_for_user(*, user: User) -> dict:
    """The invitation's rules judged on the server's own derived state."""
    state = _sync_state(user)
    today = user_today(user)
    xp, sessions, _minutes = _totals(user)
    raw_runs = active_runs(user)
    runs = runs_with_carry(raw_runs, state.streak_carry_end, state.streak_carry_length)
    streaks = streaks_from_runs(runs, today=today, longest_folded=state.longest_streak_folded)
    first_seen = _first_active_date(user, state, raw_runs)
    return rules.eligibility_judge(
        total_xp=xp,
        total_sessions=sessions,
        current_streak=streaks.current,
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
    sql = """
        SELECT DISTINCT d.user_id FROM progression_deviceday d
        JOIN accounts_user u ON u.id = d.user_id
        WHERE d.date < CURRENT_DATE + 1 - u.data_retention_days
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]
