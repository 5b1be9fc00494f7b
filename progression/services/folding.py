"""Folding days past the user's retention horizon into their sources' baselines.

The fold itself is step 8 of progression_sync_merge() (progression/sql/sync_merge.sql): every
write folds when due, and the daily job calls the same function with nothing to merge.
"""

import time

from accounts.models import User
from accounts.selectors import user_get_active
from progression.events import announce_on_commit, days_changed
from progression.selectors import user_today, users_with_days_to_fold
from progression.services.sync import progress_merge

# The daily job stops starting new users after this long; the rest wait for the next run.
FOLD_TIME_LIMIT_SECONDS = 15 * 60


def days_fold_expired(*, user: User) -> bool:
    """Fold the user's days past their retention into baselines (totals stay the same);
    True when some day was folded."""
    outcome = progress_merge(user=user, source_id=None, today=user_today(user=user))
    if outcome.counters_changed:
        announce_on_commit(days_changed, user_id=user.pk, dates=outcome.dates)
    return bool(outcome.dates)


def days_fold_due(*, time_limit_seconds: float = FOLD_TIME_LIMIT_SECONDS) -> int:
    """Fold for every user with days past retention, until the time limit; how many folded.

    Each user's fold is its own transaction under that user's lock, so two runs at once fold
    each day once: the second finds the horizon already reached.
    """
    deadline = time.monotonic() + time_limit_seconds
    folded = 0
    for user_id in users_with_days_to_fold():
        if time.monotonic() > deadline:
            break
        user = user_get_active(user_id=user_id)
        if user is not None and days_fold_expired(user=user):
            folded += 1
    return folded
