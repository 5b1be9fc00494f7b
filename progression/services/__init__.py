"""Writes of progression, by sub-domain; this package's face for views, tasks and other apps.

- `sync`: merging what one device sends (`sync_apply`): days, baseline, sets, preferences.
- `importing`: the extension's export envelope as its device's history (`sync_import`).
- `folding`: days past the retention horizon into baselines (`days_fold_expired`).
- `flags`: unusual days kept for staff, and staff clearing them (`flags_clear`).
- `awards`: XP the server grants, once per reason (`award_grant`).
- `eligibility`: consent to sync (`sync_enable`).
- `plausibility`: what is refused before anything is written.
- `payload`, `state`: what the services take, and the user's lock and version.
"""

from progression.services.awards import award_grant
from progression.services.eligibility import sync_enable
from progression.services.flags import flags_clear
from progression.services.folding import days_fold_expired
from progression.services.importing import sync_import
from progression.services.payload import (
    Counters,
    DayCounters,
    Preferences,
    SyncPayload,
    _merged_days,
    canonical_json,
)
from progression.services.plausibility import days_check_plausible
from progression.services.state import _preferences_merge
from progression.services.sync import _sync_apply_in_steps, sync_apply

__all__ = [
    "Counters",
    "DayCounters",
    "Preferences",
    "SyncPayload",
    "_merged_days",
    "_preferences_merge",
    "_sync_apply_in_steps",
    "award_grant",
    "canonical_json",
    "days_check_plausible",
    "days_fold_expired",
    "flags_clear",
    "sync_apply",
    "sync_enable",
    "sync_import",
]
