"""What the web dashboard shows, read in a fixed handful of queries whatever the history length.

1. the state statement (`state_facts`): level, streaks, totals, sets;
2. one aggregate of the user's days over the year (and the plan's history, when longer);
3. the plan, through billing's face; and what higher apps provide (dashboard_sections).

Everything else (the week, the heatmap, analytics) is arithmetic over those rows.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection

from accounts.models import User
from billing.selectors import entitlements_for, offer_shown
from progression import charts, dashboard_sections
from progression.levels import Level, level_for_xp
from progression.models import Unlock
from progression.selectors.calendar import user_today
from progression.selectors.state import state_facts

WEEKLY_GOAL_MINUTES = 70  # ten calm minutes a day; a client may set `weeklyGoalMinutes`
HEATMAP_WEEKS = 53
MONTHS_SHOWN = 12
HISTORY_WEEKS_SHOWN = 104
# Names for the extension's onboarding milestones; any other id is shown as it was sent.
ACHIEVEMENT_NAMES = {
    "first-breath": "First breath",
    "first-streak": "First streak",
    "week-warrior": "Week warrior",
    "month-master": "Month master",
    "master-level": "Master level",
    "early-bird": "Early bird",
    "night-owl": "Night owl",
}
LOCKED_ANALYTICS = (
    "A year of history, week by week",
    "Your minutes by weekday",
    "Month over month",
)


@dataclass(frozen=True)
class WeekDay:
    date: date
    minutes: int
    is_today: bool
    is_future: bool


@dataclass(frozen=True)
class Week:
    days: list[WeekDay]
    minutes: int
    goal_minutes: int
    active_days: int
    chart: charts.BarChart

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.minutes / self.goal_minutes))

    @property
    def minutes_to_goal(self) -> int:
        return max(0, self.goal_minutes - self.minutes)


@dataclass(frozen=True)
class Analytics:
    history_days: int | None
    history_first: date
    weeks: charts.BarChart
    weekday_rows: list[tuple[str, int, int]]  # (weekday, average minutes, days counted)
    weekdays: charts.BarChart
    month_rows: list[tuple[date, int]]  # (first of month, minutes), oldest first
    months: charts.BarChart

    @property
    def this_month_change(self) -> int:
        """Minutes this month minus last month's (negative when fewer, so far)."""
        return self.month_rows[-1][1] - self.month_rows[-2][1]

    @property
    def this_month_fewer(self) -> int:
        return max(0, -self.this_month_change)


@dataclass(frozen=True)
class Dashboard:
    today: date
    level: Level
    total_xp: int
    total_sessions: int
    total_minutes: int
    current_streak: int
    longest_streak: int
    today_minutes: int
    week: Week
    heatmap: charts.Heatmap
    achievements: list[tuple[str, str]]  # (id, name)
    tier: str
    analytics: Analytics | None
    locked_analytics: tuple[str, ...]
    has_rank_section: bool
    community_rank: dashboard_sections.CommunityRank | None
    has_challenges_section: bool
    active_challenges: list[dashboard_sections.ChallengeProgress]
    offer: dict | None  # billing's calm upgrade offer, where the value ladder allows one

    @property
    def xp_to_next(self) -> int:
        return self.level.next_xp_required - self.total_xp

    @property
    def next_level(self) -> int:
        return self.level.number + 1

    @property
    def progress_percent(self) -> int:
        return round(100 * self.level.progress(self.total_xp))

    @property
    def is_empty(self) -> bool:
        return not (self.total_xp or self.total_sessions or self.total_minutes)


def dashboard_for(*, user: User, today: date | None = None) -> Dashboard:
    """Everything on the dashboard for `user`, as of their own today."""
    today = today or user_today(user=user)
    facts = state_facts(user=user, today=today)
    entitlements = entitlements_for(user=user)
    advanced = bool(entitlements["features"].get("advancedAnalytics"))
    history_first = _history_first(entitlements, facts.first_active_date, today)
    heat_first = today - timedelta(days=today.weekday(), weeks=HEATMAP_WEEKS - 1)
    first = min(heat_first, history_first) if advanced else heat_first
    by_date = _days_between(user=user, first=first, last=today)
    level = level_for_xp(facts.total_xp)
    has_rank, rank = dashboard_sections.community_rank_for(user)
    has_challenges, challenges = dashboard_sections.active_challenges_for(user)
    return Dashboard(
        today=today,
        level=level,
        total_xp=facts.total_xp,
        total_sessions=facts.total_sessions,
        total_minutes=facts.total_minutes,
        current_streak=facts.current_streak,
        longest_streak=facts.longest_streak,
        today_minutes=by_date.get(today, (0, 0))[1],
        week=_week(by_date, today, _weekly_goal(facts.preferences_value)),
        heatmap=charts.heatmap(by_date=by_date, today=today, weeks=HEATMAP_WEEKS),
        achievements=[
            (key, ACHIEVEMENT_NAMES.get(key, key.replace("-", " ").capitalize()))
            for key in facts.unlocked[Unlock.Kind.ACHIEVEMENT]
        ],
        tier=entitlements["tier"],
        analytics=_analytics(by_date, history_first, today) if advanced else None,
        locked_analytics=() if advanced else LOCKED_ANALYTICS,
        has_rank_section=has_rank,
        community_rank=rank,
        has_challenges_section=has_challenges,
        active_challenges=challenges,
        # The plan was just read (entitlements): the offer does not read it again.
        offer=offer_shown(user=user, level=level.number, tier=entitlements["tier"]),
    )


# Fixed text, so PostgreSQL prepares it once per connection, and no ORM compiled per request.
_DAYS_SQL = """
    SELECT date, SUM(sessions)::int, SUM(minutes)::int FROM progression_deviceday
    WHERE user_id = %s AND date BETWEEN %s AND %s GROUP BY date
"""


def _days_between(*, user: User, first: date, last: date) -> dict[date, tuple[int, int]]:
    """(sessions, minutes) per day in [first, last], summed over devices: one statement."""
    with connection.cursor() as cursor:
        cursor.execute(_DAYS_SQL, [user.pk, first, last])
        return {day: (sessions, minutes) for day, sessions, minutes in cursor.fetchall()}


def _weekly_goal(preferences: object) -> int:
    """The client's `weeklyGoalMinutes` when it is a sensible whole number, else the default."""
    goal = preferences.get("weeklyGoalMinutes") if isinstance(preferences, dict) else None
    if isinstance(goal, int) and not isinstance(goal, bool) and 0 < goal <= 7 * 1440:
        return goal
    return WEEKLY_GOAL_MINUTES


def _history_first(entitlements: dict, first_active: date | None, today: date) -> date:
    days = entitlements["limits"].get("analyticsHistoryDays")
    if days is None:
        return min(first_active or today, today)
    return today - timedelta(days=days - 1)


def _week(by_date: dict, today: date, goal: int) -> Week:
    monday = today - timedelta(days=today.weekday())
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        sessions, minutes = by_date.get(day, (0, 0))
        days.append(WeekDay(day, minutes, day == today, day > today))
    points = [
        (
            f"{day.date:%a}",
            day.minutes,
            f"{day.date:%A} {day.date.day} {day.date:%B}: {day.minutes} minutes",
            "today" if day.is_today else ("future" if day.is_future else ""),
        )
        for day in days
    ]
    return Week(
        days=days,
        minutes=sum(day.minutes for day in days),
        goal_minutes=goal,
        active_days=sum(1 for day in days if by_date.get(day.date, (0, 0))[0] > 0),
        chart=charts.bar_chart(
            points,
            width=360,
            height=150,
            goal=goal / 7,
            goal_label=f"{round(goal / 7)} min a day",
        ),
    )


def _analytics(by_date: dict, first: date, today: date) -> Analytics:
    days = [(day, counters[1]) for day, counters in by_date.items() if first <= day <= today]
    weekday_rows = _weekday_rows(days, first, today)
    month_rows = _month_rows(days, today)
    weekday_points = [
        (name[:3], average, f"{name}: {average} minutes on average", "")
        for name, average, _count in weekday_rows
    ]
    month_points = [
        (f"{month:%b}", minutes, f"{month:%B %Y}: {minutes} minutes", "")
        for month, minutes in month_rows
    ]
    return Analytics(
        history_days=(today - first).days + 1,
        history_first=first,
        weeks=_weeks_chart(days, first, today),
        weekday_rows=weekday_rows,
        weekdays=charts.bar_chart(weekday_points, height=170),
        month_rows=month_rows,
        months=charts.bar_chart(month_points, height=170),
    )


def _weeks_chart(days: list[tuple[date, int]], first: date, today: date) -> charts.BarChart:
    start = max(first, today - timedelta(weeks=HISTORY_WEEKS_SHOWN))
    start -= timedelta(days=start.weekday())
    totals: dict[date, int] = {}
    monday = start
    while monday <= today:
        totals[monday] = 0
        monday += timedelta(weeks=1)
    for day, minutes in days:
        week = day - timedelta(days=day.weekday())
        if week in totals:
            totals[week] += minutes
    points = [
        (
            f"{week:%b}" if week.day <= 7 else "",
            minutes,
            f"Week of {week.day} {week:%B %Y}: {minutes} minutes",
            "",
        )
        for week, minutes in totals.items()
    ]
    return charts.bar_chart(points, height=150)


def _weekday_rows(
    days: list[tuple[date, int]], first: date, today: date
) -> list[tuple[str, int, int]]:
    minutes_by_weekday = [0] * 7
    for day, minutes in days:
        minutes_by_weekday[day.weekday()] += minutes
    span = (today - first).days + 1
    names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    rows = []
    for weekday, name in enumerate(names):
        # How many of this weekday the window holds: full weeks, plus one if the rest reaches it.
        count = span // 7 + (1 if (weekday - first.weekday()) % 7 < span % 7 else 0)
        rows.append((name, round(minutes_by_weekday[weekday] / count) if count else 0, count))
    return rows


def _month_rows(days: list[tuple[date, int]], today: date) -> list[tuple[date, int]]:
    month = today.replace(day=1)
    firsts = []
    for _ in range(MONTHS_SHOWN):
        firsts.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    totals = dict.fromkeys(reversed(firsts), 0)
    for day, minutes in days:
        key = day.replace(day=1)
        if key in totals:
            totals[key] += minutes
    return list(totals.items())
