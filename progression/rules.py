"""The rules the server judges progress by, in one place so they can change without a release.

Bounds come from EXTENSION.md: the real client never earns more than 30 XP a minute plus 400
in a day, and a day has 1440 minutes.
"""

from datetime import date

from progression.levels import level_number_for_xp

MAX_MINUTES_PER_DAY = 1440
MAX_XP_PER_MINUTE = 30
MAX_XP_PER_DAY_EXTRA = 400
# A device's clock may run a day ahead of the profile's timezone; more than that is refused.
FUTURE_DAYS_ALLOWED = 1

# A day is flagged (kept, but off leaderboards) when it earns far more than the user's own
# recent days: above FLAG_MIN_XP and above FLAG_MEDIAN_FACTOR times the median of their active
# days in the FLAG_WINDOW_DAYS before it, once there are FLAG_MIN_HISTORY_DAYS to compare with.
FLAG_MIN_XP = 200
FLAG_MEDIAN_FACTOR = 5
FLAG_WINDOW_DAYS = 30
FLAG_MIN_HISTORY_DAYS = 5

# A baseline (or an import's unexplained rest) claims progress over a span of days: from the
# extension's first-seen date, else the first day the server knows of, to today. More minutes or
# XP than that many days allow (the day bounds above, times the span) is refused. More XP than
# the highest honest rate (EXTENSION.md: 12.5 XP per active minute) for its minutes, plus
# FLAG_MIN_XP a day of the span for challenges and micro-meditations, is kept but flagged for
# staff. A first-seen date earlier than the extension itself is not believed.
BASELINE_FLAG_XP_PER_MINUTE = 13
BASELINE_FLAG_XP_PER_DAY_EXTRA = FLAG_MIN_XP
EARLIEST_FIRST_SEEN = date(2025, 1, 1)

# The invitation to sync (seed 000); checked in this order, the first unmet one is "next".
ELIGIBILITY_REQUIREMENTS: dict[str, int] = {
    "minLevel": 5,
    "minTotalSessions": 25,
    "minStreak": 3,
    "minAccountAgeDays": 7,
}


def max_xp_for_day(minutes: int) -> int:
    return MAX_XP_PER_MINUTE * minutes + MAX_XP_PER_DAY_EXTRA


def eligibility_judge(
    *, total_xp: int, total_sessions: int, current_streak: int, account_age_days: int
) -> dict:
    """`{eligible, requirements, nextRequirement}` for the numbers given.

    `nextRequirement` is `{requirement, needed, current}` for the first unmet requirement in
    the order above, or None when every one is met.
    """
    current = {
        "minLevel": level_number_for_xp(max(total_xp, 0)),
        "minTotalSessions": total_sessions,
        "minStreak": current_streak,
        "minAccountAgeDays": max(account_age_days, 0),
    }
    next_requirement = None
    for name, needed in ELIGIBILITY_REQUIREMENTS.items():
        if current[name] < needed:
            next_requirement = {"requirement": name, "needed": needed, "current": current[name]}
            break
    return {
        "eligible": next_requirement is None,
        "requirements": dict(ELIGIBILITY_REQUIREMENTS),
        "nextRequirement": next_requirement,
    }


def merge_rules() -> dict:
    """The thresholds progression_sync_merge() (progression/sql/sync_merge.sql) judges by."""
    return {
        "max_minutes_per_day": MAX_MINUTES_PER_DAY,
        "max_xp_per_minute": MAX_XP_PER_MINUTE,
        "max_xp_per_day_extra": MAX_XP_PER_DAY_EXTRA,
        "flag_min_xp": FLAG_MIN_XP,
        "flag_median_factor": FLAG_MEDIAN_FACTOR,
        "flag_window_days": FLAG_WINDOW_DAYS,
        "flag_min_history_days": FLAG_MIN_HISTORY_DAYS,
        "baseline_flag_xp_per_minute": BASELINE_FLAG_XP_PER_MINUTE,
        "baseline_flag_xp_per_day_extra": BASELINE_FLAG_XP_PER_DAY_EXTRA,
        "earliest_first_seen": EARLIEST_FIRST_SEEN.isoformat(),
    }
