"""Importing the extension's own export envelope as its device's history."""

from datetime import date

from django.db import connection, transaction
from django.db.models import F

from accounts.models import Device, User
from progression import imports
from progression.models import DeviceBaseline, ImportedSession, SyncState, Unlock
from progression.selectors import user_today, user_zone
from progression.services.flags import _flags_raise
from progression.services.folding import _FOLD_FIELDS, _fold_if_due
from progression.services.payload import Counters, DayCounters
from progression.services.plausibility import days_check_plausible
from progression.services.state import _state_lock, _state_save
from progression.services.sync import _baseline_write, _days_write, _unlocks_write


def sync_import(*, device: Device, export: object) -> SyncState:
    """Import the extension's export as its device's history; importing it again adds nothing.

    1. Read the export into per-session counters (progression.imports), checked like days.
    2. Find the export's source: the device that first imported any of its sessions, else the
       calling device; claim the sessions not yet claimed for that source.
    3. Maximum-merge the source's sessions per day, and the unexplained rest as its baseline,
       exactly as if that device had sent them through /sync: a repeat, from any device, or
       that device later syncing the same days, changes nothing.
    """
    user = device.user
    today = user_today(user)
    plan = imports.plan_from_export(export, user_zone(user))
    days_check_plausible(days=_sessions_by_day(plan.sessions).values(), today=today)
    baseline = Counters(plan.baseline_xp, plan.baseline_sessions, plan.baseline_minutes)
    unlocks = [(Unlock.Kind.CHALLENGE, key) for key in plan.challenge_ids]
    keys = sorted({session.key for session in plan.sessions})
    with transaction.atomic():
        state = _state_lock(user)
        source_id = _import_source(user=user, keys=keys) or device.pk
        new_keys = set(_sessions_claim(user=user, device_id=source_id, keys=keys))
        owned = set(_sessions_owned(user=user, device_id=source_id, keys=keys))
        folded_through = _folded_through(user=user, device_id=source_id)
        kept = [s for s in plan.sessions if s.key in owned and s.date > folded_through]
        # Sessions are counted once each, so new ones on already folded days add up exactly.
        late = [s for s in plan.sessions if s.key in new_keys and s.date <= folded_through]
        days = list(_sessions_by_day(kept).values())
        written = _days_write(user=user, device_id=source_id, days=days)
        changed = bool(written)
        changed |= _baseline_write(user=user, device_id=source_id, baseline=baseline)
        changed |= _baseline_fold_add(user=user, device_id=source_id, sessions=late)
        changed |= _unlocks_write(user=user, unlocks=unlocks)
        folded = _fold_if_due(user=user, state=state, today=today, written=written)
        _flags_raise(user=user, dates=written)
        _state_save(state, changed=changed or folded, fields=_FOLD_FIELDS if folded else [])
    return state


def _sessions_by_day(sessions) -> dict[date, DayCounters]:
    days: dict[date, DayCounters] = {}
    for session in sessions:
        seen = days.get(session.date, DayCounters(session.date, 0, 0, 0))
        days[session.date] = DayCounters(
            session.date,
            seen.xp + session.xp,
            seen.sessions + session.sessions,
            seen.minutes + session.minutes,
        )
    return days


def _import_source(*, user: User, keys: list[str]):
    """The device that first imported any of these sessions, if one did."""
    if not keys:
        return None
    sql = """
        SELECT device_id FROM progression_importedsession
        WHERE user_id = %s AND session_key = ANY(%s::text[]) AND device_id IS NOT NULL
        ORDER BY id LIMIT 1
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, keys])
        row = cursor.fetchone()
    return row[0] if row else None


def _sessions_claim(*, user: User, device_id, keys: list[str]) -> list[str]:
    """Claim the sessions nobody imported before for the source; return those keys."""
    if not keys:
        return []
    sql = """
        INSERT INTO progression_importedsession (user_id, session_key, device_id)
        SELECT %s, k, %s FROM unnest(%s::text[]) AS k
        ON CONFLICT (user_id, session_key) DO NOTHING
        RETURNING session_key
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, device_id, keys])
        return [row[0] for row in cursor.fetchall()]


def _sessions_owned(*, user: User, device_id, keys: list[str]) -> list[str]:
    return list(
        ImportedSession.objects.filter(
            user=user, device_id=device_id, session_key__in=keys
        ).values_list("session_key", flat=True)
    )


def _folded_through(*, user: User, device_id) -> date:
    folded = (
        DeviceBaseline.objects.filter(user=user, device_id=device_id)
        .values_list("folded_through", flat=True)
        .first()
    )
    return folded or date.min


def _baseline_fold_add(*, user: User, device_id, sessions) -> bool:
    """Add sessions that belong to days already folded straight into the folded totals."""
    if not sessions:
        return False
    xp = sum(session.xp for session in sessions)
    count = sum(session.sessions for session in sessions)
    minutes = sum(session.minutes for session in sessions)
    updated = DeviceBaseline.objects.filter(user=user, device_id=device_id).update(
        folded_xp=F("folded_xp") + xp,
        folded_sessions=F("folded_sessions") + count,
        folded_minutes=F("folded_minutes") + minutes,
    )
    return bool(updated)
