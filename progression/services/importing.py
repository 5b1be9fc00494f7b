"""Importing the extension's own export envelope as its device's history."""

from datetime import date

from django.db import connection, transaction

from accounts.models import Device, User
from progression import imports
from progression.models import DeviceBaseline, ImportedSession, Unlock
from progression.selectors import user_today, user_zone
from progression.services.announce import progress_announce
from progression.services.payload import Counters, DayCounters
from progression.services.plausibility import days_check_plausible
from progression.services.state import _state_lock
from progression.services.sync import progress_merge


def sync_import(*, device: Device, export: object) -> dict:
    """Import the extension's export as its device's history; importing it again adds nothing.

    1. Read the export into per-session counters (progression.imports), checked like days.
    2. Under the user's lock, find the export's source: the device that first imported any of
       its sessions, else the calling device; claim the sessions not yet claimed for it.
    3. Merge the source's sessions per day, the unexplained rest as its baseline (judged against
       the span the export covers), and sessions on days already folded into its folded totals,
       in the one call every write makes: a repeat, from any device, or that device later
       syncing the same days, changes nothing.
    Answers `{syncVersion, state}` as `sync_state_for` does.
    """
    user = device.user
    today = user_today(user=user)
    plan = imports.plan_from_export(export, user_zone(user=user))
    days_check_plausible(days=_sessions_by_day(plan.sessions).values(), today=today)
    baseline = Counters(plan.baseline_xp, plan.baseline_sessions, plan.baseline_minutes)
    unlocks = [(Unlock.Kind.CHALLENGE, key) for key in plan.challenge_ids]
    keys = sorted({session.key for session in plan.sessions})
    with transaction.atomic():
        _state_lock(user)
        source_id = _import_source(user=user, keys=keys) or device.pk
        new_keys = set(_sessions_claim(user=user, device_id=source_id, keys=keys))
        owned = set(_sessions_owned(user=user, device_id=source_id, keys=keys))
        folded_through = _folded_through(user=user, device_id=source_id)
        kept = [s for s in plan.sessions if s.key in owned and s.date > folded_through]
        # Sessions are counted once each, so new ones on already folded days add up exactly.
        late = [s for s in plan.sessions if s.key in new_keys and s.date <= folded_through]
        outcome = progress_merge(
            user=user,
            source_id=source_id,
            today=today,
            days=sorted(_sessions_by_day(kept).values(), key=lambda day: day.date),
            baseline=baseline,
            late=Counters(
                sum(s.xp for s in late), sum(s.sessions for s in late), sum(s.minutes for s in late)
            ),
            unlocks=unlocks,
            first_seen=plan.first_seen,
        )
    return progress_announce(user=user, outcome=outcome)


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
