"""Reads of progression, by sub-domain; this package's face for views, tasks and other apps.

- `calendar`: the user's timezone and today, and how instants are written (`iso`).
- `state`: the canonical state derived from stored days (`sync_state_for`, `state_facts`).
- `eligibility`: the invitation's rules on the server's state or a client's numbers.
- `stats`: the dashboard and the stats series.
- `flags`: staff's open questions (flagged days count on no leaderboard, in no challenge).
- `export`: progression's part of the data export.
- `folding`: who has days past their retention.
"""

from progression.selectors.calendar import iso, user_today, user_zone, utc_today
from progression.selectors.eligibility import (
    account_age_days,
    eligibility_for_numbers,
    eligibility_for_user,
)
from progression.selectors.export import export_for_user, unlocked_sets
from progression.selectors.flags import (
    flagged_baseline_xp,
    flagged_dates,
    user_has_open_baseline_flag,
    user_is_flagged,
)
from progression.selectors.folding import users_with_days_to_fold
from progression.selectors.state import (
    STATE_DAYS,
    StateFacts,
    state_facts,
    state_facts_from_row,
    state_statement,
    sync_state_for,
    sync_state_from_facts,
)
from progression.selectors.stats import (
    STATS_PERIODS,
    dashboard_summary,
    days_summed,
    stats_series,
)

__all__ = [
    "STATE_DAYS",
    "STATS_PERIODS",
    "StateFacts",
    "account_age_days",
    "dashboard_summary",
    "days_summed",
    "eligibility_for_numbers",
    "eligibility_for_user",
    "export_for_user",
    "flagged_baseline_xp",
    "flagged_dates",
    "iso",
    "state_facts",
    "state_facts_from_row",
    "state_statement",
    "stats_series",
    "sync_state_for",
    "sync_state_from_facts",
    "unlocked_sets",
    "user_has_open_baseline_flag",
    "user_is_flagged",
    "user_today",
    "user_zone",
    "users_with_days_to_fold",
    "utc_today",
]
