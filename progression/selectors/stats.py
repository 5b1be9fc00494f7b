"""What the dashboard and the stats API show: the user's days over time."""

from datetime import date, timedelta

from django.db.models import Sum

from accounts.models import User
from billing.selectors import entitlements_for
from progression.levels import level_for_xp
from progression.models import DeviceDay
from progression.selectors.calendar import user_today
from progression.selectors.state import sync_state_for

STATS_PERIODS = ("daily", "weekly", "monthly")


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


def dashboard_summary(*, user: User) -> dict:
    """What the web dashboard shows: level, XP to the next, streak, today, the last 7 days."""
    answer = sync_state_for(user=user)["state"]
    today = user_today(user=user)
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
    today = user_today(user=user)
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
