"""Folding days past the user's retention horizon into their sources' baselines."""

from datetime import date, timedelta

from django.db import connection, transaction

from accounts.models import User
from progression.models import DeviceDay, SyncState
from progression.selectors import active_runs, user_today
from progression.services.state import _state_lock, _state_save
from progression.streaks import runs_with_carry

_FOLD_FIELDS = [
    "folded_horizon",
    "first_active_date",
    "longest_streak_folded",
    "streak_carry_end",
    "streak_carry_length",
]


def _retention_horizon(user: User, today: date) -> date:
    """The first day still kept: days before it are folded into baselines."""
    return today - timedelta(days=user.data_retention_days)


def _fold_streak_facts(*, user: User, state: SyncState, horizon: date) -> date:
    """Step 1 of `_fold`: the streak facts the folded days leave on `state`; returns the last
    day folded."""
    runs = runs_with_carry(active_runs(user), state.streak_carry_end, state.streak_carry_length)
    last_folded = horizon - timedelta(days=1)
    if runs:
        state.longest_streak_folded = max(
            [state.longest_streak_folded] + [run.length for run in runs]
        )
        first = runs[0].start
        state.first_active_date = min(filter(None, [state.first_active_date, first]))
    for run in runs:
        if run.start <= last_folded <= run.end:
            state.streak_carry_end = last_folded
            state.streak_carry_length = run.length - (run.end - last_folded).days
            break
    else:
        if state.streak_carry_end != last_folded:
            state.streak_carry_end, state.streak_carry_length = None, 0
    state.folded_horizon = max(filter(None, [state.folded_horizon, horizon]))
    return last_folded


def _fold(*, user: User, state: SyncState, horizon: date) -> bool:
    """Fold every day before `horizon` into its source's baseline, keeping streak facts.

    1. Read the runs of active days while every day is still there; remember the longest
       and the run that reaches the last folded day (it continues into the kept days).
    2. Delete the old days and add them to their sources' folded totals in one statement;
       `folded_through` makes a folded day that arrives again be ignored.
    """
    last_folded = _fold_streak_facts(user=user, state=state, horizon=horizon)
    sql = """
        WITH gone AS (
            DELETE FROM progression_deviceday WHERE user_id = %(user)s AND date < %(horizon)s
            RETURNING device_id, xp, sessions, minutes
        )
        INSERT INTO progression_devicebaseline AS b (user_id, device_id, xp, sessions, minutes,
            folded_xp, folded_sessions, folded_minutes, folded_through)
        SELECT %(user)s, device_id, 0, 0, 0, SUM(xp), SUM(sessions), SUM(minutes), %(last)s
        FROM gone GROUP BY device_id
        ON CONFLICT (user_id, device_id) DO UPDATE SET
            folded_xp = b.folded_xp + EXCLUDED.folded_xp,
            folded_sessions = b.folded_sessions + EXCLUDED.folded_sessions,
            folded_minutes = b.folded_minutes + EXCLUDED.folded_minutes,
            folded_through = GREATEST(b.folded_through, EXCLUDED.folded_through)
        RETURNING 1
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"user": user.pk, "horizon": horizon, "last": last_folded})
        return bool(cursor.fetchall())


def _fold_due(state: SyncState, horizon: date) -> bool:
    return state.folded_horizon is None or horizon > state.folded_horizon


def _fold_if_due(*, user: User, state: SyncState, today: date, written: list[date]) -> bool:
    horizon = _retention_horizon(user, today)
    if not _fold_due(state, horizon) and not any(day < horizon for day in written):
        return False
    _fold(user=user, state=state, horizon=horizon)
    return True


def days_fold_expired(*, user: User) -> bool:
    """Fold the user's days past their retention into baselines; totals stay the same."""
    today = user_today(user)
    with transaction.atomic():
        state = _state_lock(user)
        horizon = _retention_horizon(user, today)
        if not DeviceDay.objects.filter(user=user, date__lt=horizon).exists():
            return False
        _fold(user=user, state=state, horizon=horizon)
        _state_save(state, changed=True, fields=_FOLD_FIELDS)
    return True
