"""Merging what one device sends (`sync_apply`).

Every write for a user runs in one transaction that first locks the user's SyncState row, so a
user's writes are serialised (version bumps never race) while different users never wait for
each other. Merges are single upserts that report what they changed (`RETURNING`), which is how
a repeated request is told apart from one that changes stored data. The common upload (no fold
due) is one call to progression_sync_upload() (migration 0003), which takes the same lock and
does the same merges inside the database, in one round trip.
"""

import json
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Device, User
from progression import rules
from progression.selectors import user_today
from progression.services.flags import _FLAG_PARAMS, _flags_raise
from progression.services.folding import _FOLD_FIELDS, _fold_if_due, _retention_horizon
from progression.services.payload import Counters, DayCounters, SyncPayload, _merged_days
from progression.services.plausibility import days_check_plausible
from progression.services.state import _preferences_merge, _state_lock, _state_save

# One device's days, maximum-merged; days up to its folded horizon are ignored. (The upload's
# one call, progression_sync_upload() in migration 0003, holds the same statement.)
_DAY_MAX_SQL = """
    INSERT INTO progression_deviceday AS d (user_id, device_id, date, xp, sessions, minutes)
    SELECT %(user)s, %(device)s, n.date, n.xp, n.sessions, n.minutes
    FROM unnest(%(dates)s::date[], %(xp)s::int[], %(sessions)s::int[], %(minutes)s::int[])
        AS n(date, xp, sessions, minutes)
    WHERE n.date > COALESCE(
        (SELECT b.folded_through FROM progression_devicebaseline b
         WHERE b.user_id = %(user)s AND b.device_id = %(device)s),
        '-infinity'::date)
    ON CONFLICT (user_id, device_id, date) DO UPDATE SET
        xp = GREATEST(d.xp, EXCLUDED.xp),
        sessions = GREATEST(d.sessions, EXCLUDED.sessions),
        minutes = GREATEST(d.minutes, EXCLUDED.minutes)
    WHERE EXCLUDED.xp > d.xp OR EXCLUDED.sessions > d.sessions OR EXCLUDED.minutes > d.minutes
    RETURNING date
"""


def _days_write(*, user: User, device_id, days: list[DayCounters]) -> list[date]:
    if not days:
        return []
    params = {
        "user": user.pk,
        "device": device_id,
        "dates": [day.date for day in days],
        "xp": [day.xp for day in days],
        "sessions": [day.sessions for day in days],
        "minutes": [day.minutes for day in days],
    }
    with connection.cursor() as cursor:
        cursor.execute(_DAY_MAX_SQL, params)
        return [row[0] for row in cursor.fetchall()]


def _baseline_write(*, user: User, device_id, baseline: Counters | None) -> bool:
    if baseline is None or not (baseline.xp or baseline.sessions or baseline.minutes):
        return False
    sql = """
        INSERT INTO progression_devicebaseline AS b (user_id, device_id, xp, sessions, minutes,
            folded_xp, folded_sessions, folded_minutes)
        VALUES (%s, %s, %s, %s, %s, 0, 0, 0)
        ON CONFLICT (user_id, device_id) DO UPDATE SET
            xp = GREATEST(b.xp, EXCLUDED.xp),
            sessions = GREATEST(b.sessions, EXCLUDED.sessions),
            minutes = GREATEST(b.minutes, EXCLUDED.minutes)
        WHERE EXCLUDED.xp > b.xp OR EXCLUDED.sessions > b.sessions
            OR EXCLUDED.minutes > b.minutes
        RETURNING 1
    """
    params = [user.pk, device_id, baseline.xp, baseline.sessions, baseline.minutes]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


def _unlocks_write(*, user: User, unlocks) -> bool:
    unique = sorted(set(unlocks))
    if not unique:
        return False
    sql = """
        INSERT INTO progression_unlock (user_id, kind, key, created_at)
        SELECT %s, u.kind, u.key, now() FROM unnest(%s::text[], %s::text[]) AS u(kind, key)
        ON CONFLICT (user_id, kind, key) DO NOTHING
        RETURNING 1
    """
    params = [user.pk, [kind for kind, _ in unique], [key for _, key in unique]]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return bool(cursor.fetchall())


def sync_apply(*, device: Device, payload: SyncPayload) -> None:
    """Merge what one device sends.

    On PostgreSQL one call does it all (`_sync_apply_at_once`) unless a fold is due (the
    retention horizon moved, or a day sent lies before it) or different preferences tie on
    modifiedAt; then the steps run one by one under the user's lock, folding as they go.
    """
    user = device.user
    today = user_today(user)
    days = _merged_days(payload.days)
    days_check_plausible(days=days, today=today)
    if _sync_apply_at_once(user=user, device=device, payload=payload, days=days, today=today):
        return
    with transaction.atomic():
        state = _state_lock(user)
        _sync_apply_in_steps(user=user, device=device, payload=payload, days=days, state=state)


def _sync_apply_in_steps(*, user, device, payload, days, state) -> None:
    written = _days_write(user=user, device_id=device.pk, days=days)
    changed = bool(written)
    changed |= _baseline_write(user=user, device_id=device.pk, baseline=payload.baseline)
    changed |= _unlocks_write(user=user, unlocks=payload.unlocks)
    preferences_changed = _preferences_merge(state, payload.preferences)
    today = user_today(user)
    folded = _fold_if_due(user=user, state=state, today=today, written=written)
    _flags_raise(user=user, dates=written)
    fields = ["preferences_value", "preferences_modified_at"] if preferences_changed else []
    fields += _FOLD_FIELDS if folded else []
    _state_save(state, changed=changed or preferences_changed or folded, fields=fields)


# progression_sync_upload() (migration 0003): the user's lock, the fold and preference checks,
# the merges, the version bump and the flags of this path, in one call and one transaction.
_UPLOAD_SQL = """
    SELECT progression_sync_upload(
        p_user => %(user)s::uuid, p_device => %(device)s::uuid,
        p_joined => %(joined)s::timestamptz, p_horizon => %(horizon)s::date,
        p_now => %(now)s::timestamptz,
        p_dates => %(dates)s::date[], p_xp => %(xp)s::int[],
        p_sessions => %(sessions)s::int[], p_minutes => %(minutes)s::int[],
        p_base_xp => %(base_xp)s::bigint, p_base_sessions => %(base_sessions)s::bigint,
        p_base_minutes => %(base_minutes)s::bigint,
        p_kinds => %(kinds)s::text[], p_keys => %(keys)s::text[],
        p_preferences => %(preferences)s::jsonb,
        p_preferences_at => %(preferences_at)s::timestamptz,
        p_flag_min_xp => %(min_xp)s::int, p_flag_window => %(window)s::int,
        p_flag_min_history => %(min_history)s::int, p_flag_factor => %(factor)s::float8)
"""


def _sync_apply_at_once(*, user, device, payload, days, today) -> bool:
    """The upload in one call, unless it needs the step-by-step path: then False, and nothing
    was merged."""
    baseline = payload.baseline or Counters(0, 0, 0)
    unlocks = sorted(set(payload.unlocks))
    preferences = payload.preferences
    params = {
        "user": user.pk,
        "device": device.pk,
        "joined": user.date_joined,
        "horizon": _retention_horizon(user, today),
        "now": timezone.now(),
        "dates": [day.date for day in days],
        "xp": [day.xp for day in days],
        "sessions": [day.sessions for day in days],
        "minutes": [day.minutes for day in days],
        "base_xp": baseline.xp,
        "base_sessions": baseline.sessions,
        "base_minutes": baseline.minutes,
        "kinds": [kind for kind, _ in unlocks],
        "keys": [key for _, key in unlocks],
        "preferences": json.dumps(preferences.value) if preferences else None,
        "preferences_at": preferences.modified_at if preferences else None,
        **_FLAG_PARAMS,
        "min_history": rules.FLAG_MIN_HISTORY_DAYS,
        "factor": rules.FLAG_MEDIAN_FACTOR,
    }
    with connection.cursor() as cursor:
        cursor.execute(_UPLOAD_SQL, params)
        return cursor.fetchone()[0]
