"""Writes: merging what devices send, importing exports, folding old days, flags, consent.

Every write for a user runs in one transaction that first locks the user's SyncState row, so a
user's writes are serialised (version bumps never race) while different users never wait for
each other. Merges are single upserts that report what they changed (`RETURNING`), which is how
a repeated request is told apart from one that changes stored data. The common upload (no fold
due) is one call to progression_sync_upload() (migration 0003), which takes the same lock and
does the same merges inside the database, in one round trip.

That is PostgreSQL's SQL; on other databases (`make run` falls back to SQLite) the public
writes hand over to progression.portable, the same steps through the ORM.
"""

import json
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Device, User
from accounts.services import user_sync_enable
from breathmaster.api.errors import ApplicationError
from progression import imports, portable, rules
from progression.models import (
    DeviceBaseline,
    DeviceDay,
    ImportedSession,
    SyncFlag,
    SyncState,
    Unlock,
)
from progression.selectors import active_runs, eligibility_for_user, user_today, user_zone
from progression.streaks import runs_with_carry


@dataclass(frozen=True)
class DayCounters:
    date: date
    xp: int
    sessions: int
    minutes: int


@dataclass(frozen=True)
class Counters:
    xp: int
    sessions: int
    minutes: int


@dataclass(frozen=True)
class Preferences:
    value: dict
    modified_at: datetime


@dataclass(frozen=True)
class SyncPayload:
    days: tuple[DayCounters, ...] = ()
    baseline: Counters | None = None
    unlocks: tuple[tuple[str, str], ...] = field(default=())  # (Unlock.Kind, key)
    preferences: Preferences | None = None


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


# --- Checks that run before anything is written ----------------------------------------------


def days_check_plausible(*, days, today: date) -> None:
    """Refuse the whole request when one day is impossible for the real client."""
    for day in days:
        if day.date > today + timedelta(days=rules.FUTURE_DAYS_ALLOWED):
            raise ApplicationError(
                f"{day.date.isoformat()} has not happened yet in your timezone.",
                code="date_in_future",
                extra={"date": day.date.isoformat()},
            )
        if day.minutes > rules.MAX_MINUTES_PER_DAY:
            raise ApplicationError(
                f"{day.date.isoformat()} has more minutes than a day holds.",
                code="implausible_day",
                extra={"date": day.date.isoformat()},
            )
        if day.xp > rules.max_xp_for_day(day.minutes):
            raise ApplicationError(
                f"{day.date.isoformat()} has more XP than its minutes can earn.",
                code="implausible_day",
                extra={"date": day.date.isoformat()},
            )


def _merged_days(days) -> list[DayCounters]:
    """One entry per date (field-wise maximum): an upsert may touch a row only once."""
    merged: dict[date, DayCounters] = {}
    for day in days:
        if not (day.xp or day.sessions or day.minutes):
            continue  # an empty day carries nothing to keep
        seen = merged.get(day.date)
        if seen is not None:
            day = DayCounters(
                day.date,
                max(day.xp, seen.xp),
                max(day.sessions, seen.sessions),
                max(day.minutes, seen.minutes),
            )
        merged[day.date] = day
    return sorted(merged.values(), key=lambda day: day.date)


# --- The statements --------------------------------------------------------------------------


_STATE_FIELDS = [field.attname for field in SyncState._meta.concrete_fields]
_STATE_LOCK_SQL = f"""
    SELECT {", ".join(_STATE_FIELDS)} FROM progression_syncstate WHERE user_id = %s FOR UPDATE
"""
_STATE_CREATE_SQL = """
    INSERT INTO progression_syncstate
        (user_id, sync_version, last_modified, longest_streak_folded, streak_carry_length)
    VALUES (%s, 0, %s, 0, 0)
    ON CONFLICT (user_id) DO NOTHING
"""


def _state_lock(user: User) -> SyncState:
    """Lock the user's SyncState row, creating it first when the user has none.

    A row lock rather than an upsert that rewrites the row: no new row version per request.
    Two first writes at once: the second INSERT waits for the first and does nothing, and its
    SELECT then waits for the first's lock.
    """
    with connection.cursor() as cursor:
        cursor.execute(_STATE_LOCK_SQL, [user.pk])
        row = cursor.fetchone()
        if row is None:
            # A new row starts at the account's creation, as the state reads before any write.
            cursor.execute(_STATE_CREATE_SQL, [user.pk, user.date_joined])
            cursor.execute(_STATE_LOCK_SQL, [user.pk])
            row = cursor.fetchone()
    values = dict(zip(_STATE_FIELDS, row, strict=True))
    # A plain cursor leaves jsonb as text (Django's loader); the field decodes it as the ORM would.
    preferences = SyncState._meta.get_field("preferences_value")
    values["preferences_value"] = preferences.from_db_value(
        values["preferences_value"], None, connection
    )
    return SyncState.from_db(connection.alias, _STATE_FIELDS, list(values.values()))


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


def _preferences_merge(state: SyncState, preferences: Preferences | None) -> bool:
    """Last writer wins on modifiedAt; a tie goes to the greater canonical JSON."""
    if preferences is None:
        return False
    incoming = (preferences.modified_at, canonical_json(preferences.value))
    if state.preferences_modified_at is not None:
        stored = (state.preferences_modified_at, canonical_json(state.preferences_value))
        if incoming <= stored:
            return False
    state.preferences_value = preferences.value
    state.preferences_modified_at = preferences.modified_at
    return True


# --- Folding days past the retention horizon ---------------------------------------------------


def _retention_horizon(user: User, today: date) -> date:
    """The first day still kept: days before it are folded into baselines."""
    return today - timedelta(days=user.data_retention_days)


def _fold_streak_facts(*, user: User, state: SyncState, horizon: date) -> date:
    """Step 1 of `_fold` (the same on every database): the streak facts the folded days
    leave on `state`; returns the last day folded."""
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


# --- Flags --------------------------------------------------------------------------------------

# Days that may be flagged: the written days above FLAG_MIN_XP, each with the per-day XP of
# the user's active days in the window before it and their median. `_flags_create` applies
# the rule (progression_sync_upload() does both in SQL for the one-call upload).
_FLAG_SQL = """
    WITH written AS (SELECT unnest(%(dates)s::date[]) AS date),
    user_days AS (
        SELECT date, xp, sessions FROM progression_deviceday
        WHERE user_id = %(user)s
            AND date >= (SELECT MIN(date) FROM written) - %(window)s
            AND date <= (SELECT MAX(date) FROM written)
    ), candidate AS (
        SELECT date, SUM(xp) AS xp FROM user_days
        WHERE date IN (SELECT date FROM written)
        GROUP BY date HAVING SUM(xp) > %(min_xp)s
    ), history AS (
        SELECT c.date, c.xp, h.day_xp FROM candidate c
        LEFT JOIN LATERAL (
            SELECT SUM(d.xp) AS day_xp FROM user_days d
            WHERE d.sessions > 0 AND d.date >= c.date - %(window)s AND d.date < c.date
            GROUP BY d.date
        ) h ON true
    )
    SELECT date, xp, COUNT(day_xp),
        COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY day_xp), 0)
    FROM history GROUP BY date, xp
"""

_FLAG_PARAMS = {"min_xp": rules.FLAG_MIN_XP, "window": rules.FLAG_WINDOW_DAYS}


def _flags_raise(*, user: User, dates: list[date]) -> None:
    """Flag days far above the user's own recent median; they stay stored, off leaderboards."""
    if not dates:
        return
    with connection.cursor() as cursor:
        cursor.execute(_FLAG_SQL, {"user": user.pk, "dates": dates, **_FLAG_PARAMS})
        _flags_create(user=user, rows=cursor.fetchall())


def _flags_create(*, user: User, rows) -> None:
    """Flags for the checked days (date, xp, history days, median) that the rule picks out."""
    flags = [
        SyncFlag(
            user=user,
            date=day,
            day_xp=xp,
            median_xp=median,
            reason=f"{xp} XP against a median of {median:g} over the {history} days before",
        )
        for day, xp, history, median in rows
        if history >= rules.FLAG_MIN_HISTORY_DAYS and xp > rules.FLAG_MEDIAN_FACTOR * median
    ]
    if flags:
        SyncFlag.objects.bulk_create(flags, ignore_conflicts=True)


# --- The writes ---------------------------------------------------------------------------------


def _state_save(state: SyncState, *, changed: bool, fields: list[str]) -> None:
    updates = {name: getattr(state, name) for name in fields}
    if changed:
        state.sync_version += 1
        state.last_modified = timezone.now()
        updates.update(sync_version=F("sync_version") + 1, last_modified=state.last_modified)
    if updates:
        SyncState.objects.filter(pk=state.pk).update(**updates)


_FOLD_FIELDS = [
    "folded_horizon",
    "first_active_date",
    "longest_streak_folded",
    "streak_carry_end",
    "streak_carry_length",
]


def _statements():
    """The statements for this database: PostgreSQL SQL in this module, the ORM elsewhere.

    The steps of every write below are written once; only the statements under them differ
    (progression.portable serves `make run`'s SQLite fallback).
    """
    return sys.modules[__name__] if connection.vendor == "postgresql" else portable


def sync_apply(*, device: Device, payload: SyncPayload) -> None:
    """Merge what one device sends.

    On PostgreSQL one call does it all (`_sync_apply_at_once`) unless a fold is due (the
    retention horizon moved, or a day sent lies before it) or different preferences tie on
    modifiedAt; then, and on other databases, the steps run one by one under the user's lock,
    folding as they go.
    """
    statements = _statements()
    user = device.user
    today = user_today(user)
    days = _merged_days(payload.days)
    days_check_plausible(days=days, today=today)
    if statements is not portable and _sync_apply_at_once(
        user=user, device=device, payload=payload, days=days, today=today
    ):
        return
    with transaction.atomic():
        state = statements._state_lock(user)
        _sync_apply_in_steps(
            statements, user=user, device=device, payload=payload, days=days, state=state
        )


def _sync_apply_in_steps(statements, *, user, device, payload, days, state) -> None:
    written = statements._days_write(user=user, device_id=device.pk, days=days)
    changed = bool(written)
    changed |= statements._baseline_write(user=user, device_id=device.pk, baseline=payload.baseline)
    changed |= statements._unlocks_write(user=user, unlocks=payload.unlocks)
    preferences_changed = _preferences_merge(state, payload.preferences)
    today = user_today(user)
    folded = statements._fold_if_due(user=user, state=state, today=today, written=written)
    statements._flags_raise(user=user, dates=written)
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


def sync_import(*, device: Device, export: object) -> SyncState:
    """Import the extension's export as its device's history; importing it again adds nothing.

    1. Read the export into per-session counters (progression.imports), checked like days.
    2. Find the export's source: the device that first imported any of its sessions, else the
       calling device; claim the sessions not yet claimed for that source.
    3. Maximum-merge the source's sessions per day, and the unexplained rest as its baseline,
       exactly as if that device had sent them through /sync: a repeat, from any device, or
       that device later syncing the same days, changes nothing.
    """
    statements = _statements()
    user = device.user
    today = user_today(user)
    plan = imports.plan_from_export(export, user_zone(user))
    days_check_plausible(days=_sessions_by_day(plan.sessions).values(), today=today)
    baseline = Counters(plan.baseline_xp, plan.baseline_sessions, plan.baseline_minutes)
    unlocks = [(Unlock.Kind.CHALLENGE, key) for key in plan.challenge_ids]
    keys = sorted({session.key for session in plan.sessions})
    with transaction.atomic():
        state = statements._state_lock(user)
        source_id = statements._import_source(user=user, keys=keys) or device.pk
        new_keys = set(statements._sessions_claim(user=user, device_id=source_id, keys=keys))
        owned = set(_sessions_owned(user=user, device_id=source_id, keys=keys))
        folded_through = _folded_through(user=user, device_id=source_id)
        kept = [s for s in plan.sessions if s.key in owned and s.date > folded_through]
        # Sessions are counted once each, so new ones on already folded days add up exactly.
        late = [s for s in plan.sessions if s.key in new_keys and s.date <= folded_through]
        days = list(_sessions_by_day(kept).values())
        written = statements._days_write(user=user, device_id=source_id, days=days)
        changed = bool(written)
        changed |= statements._baseline_write(user=user, device_id=source_id, baseline=baseline)
        changed |= _baseline_fold_add(user=user, device_id=source_id, sessions=late)
        changed |= statements._unlocks_write(user=user, unlocks=unlocks)
        folded = statements._fold_if_due(user=user, state=state, today=today, written=written)
        statements._flags_raise(user=user, dates=written)
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


def days_fold_expired(*, user: User) -> bool:
    """Fold the user's days past their retention into baselines; totals stay the same."""
    statements = _statements()
    today = user_today(user)
    with transaction.atomic():
        state = statements._state_lock(user)
        horizon = _retention_horizon(user, today)
        if not DeviceDay.objects.filter(user=user, date__lt=horizon).exists():
            return False
        statements._fold(user=user, state=state, horizon=horizon)
        _state_save(state, changed=True, fields=_FOLD_FIELDS)
    return True


def sync_enable(*, user: User) -> datetime:
    """Unlock the cloud features when the server's own view of the user meets the rules."""
    if user.sync_enabled_at is not None:
        return user.sync_enabled_at  # consent already given; a later dip changes nothing
    eligibility = eligibility_for_user(user=user)
    if not eligibility["eligible"]:
        raise ApplicationError(
            "Sync opens once your practice meets the invitation's steps; keep breathing at "
            "your own pace.",
            code="not_eligible",
            status_code=403,
            extra={"nextRequirement": eligibility["nextRequirement"]},
        )
    return user_sync_enable(user=user)


def flags_clear(*, flag_ids: list[int], by: User) -> int:
    """Staff looked and found nothing wrong: the days count on leaderboards again."""
    return SyncFlag.objects.filter(pk__in=flag_ids, cleared_at__isnull=True).update(
        cleared_at=timezone.now(), cleared_by=by
    )
