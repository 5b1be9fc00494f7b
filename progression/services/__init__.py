"""Writes of progression, by sub-domain; this package's face for views, tasks and other apps.

Every rule of the merge itself lives in progression/sql/sync_merge.sql (one database function
every write calls); these modules prepare its input and tell the apps above what changed.

- `sync`: what one device sends (`sync_apply`), and the one call (`progress_merge`).
- `importing`: the extension's export envelope as its device's history (`sync_import`).
- `folding`: days past the retention horizon into baselines (`days_fold_expired`, and the
  daily job's loop `days_fold_due`).
- `flags`: staff clearing flagged progress (`flags_clear`).
- `awards`: XP the server grants, once per reason (`award_grant`).
- `eligibility`: consent to sync (`sync_enable`).
- `plausibility`: days refused before anything is written.
- `announce`: `days_changed` and `level_reached` after commit (progression.events).
- `payload`, `state`: what the services take, and the user's lock.
"""

from progression.services.awards import award_grant
from progression.services.eligibility import sync_enable
from progression.services.flags import flags_clear
from progression.services.folding import days_fold_due, days_fold_expired
from progression.services.importing import sync_import
from progression.services.payload import (
    Counters,
    DayCounters,
    MergeOutcome,
    Preferences,
    SyncPayload,
    _merged_days,
)
from progression.services.plausibility import days_check_plausible
from progression.services.sync import progress_merge, retention_horizon, sync_apply

__all__ = [
    "Counters",
    "DayCounters",
    "MergeOutcome",
    "Preferences",
    "SyncPayload",
    "_merged_days",
    "award_grant",
    "days_check_plausible",
    "days_fold_due",
    "days_fold_expired",
    "flags_clear",
    "progress_merge",
    "retention_horizon",
    "sync_apply",
    "sync_enable",
    "sync_import",
]
