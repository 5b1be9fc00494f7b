"""The progression writes through the ORM, for databases other than PostgreSQL.

`make run` falls back to SQLite when PostgreSQL is not reachable. The served path
(progression.services) is PostgreSQL SQL: upserts with GREATEST, unnest, data-modifying CTEs,
percentile_cont. Here are the same statements as reads and writes in Python, under the
user's transaction, which is exact because SQLite lets one writer in at a time: once a
transaction has written, no other writer changes anything until it commits. The steps of each
write (sync, import, folding) are written once, in services, which picks these statements with
`services._statements()`; so both databases answer the same.
"""

from __future__ import annotations  # services, named in annotations, may still be loading

from collections import defaultdict
from datetime import date, timedelta
from statistics import median

from django.db.models import F, Sum

from accounts.models import User
from progression import rules
from progression import services as pg  # imported as a module: services dispatches here
from progression.models import DeviceBaseline, DeviceDay, ImportedSession, SyncState, Unlock

_COUNTERS = ("xp", "sessions", "minutes")


# --- The steps --------------------------------------------------------------------------------


def _state_lock(user: User) -> SyncState:
    """The user's SyncState, read after taking the database's write lock.

    SQLite takes its write lock at a transaction's first write, and a transaction that read
    first and wrote later could find another writer in between; so this writes first (a no-op
    update), and everything read after it stays as read until commit.
    """
    SyncState.objects.filter(user=user).update(sync_version=F("sync_version"))
    # A new row starts at the account's creation, as the state reads before any write.
    state, _created = SyncState.objects.get_or_create(
        user=user, defaults={"last_modified": user.date_joined}
    )
    return state


def _raise_to(row, counters) -> bool:
    """Field-wise maximum of a stored row and what arrived; whether any counter grew."""
    grew = any(getattr(counters, name) > getattr(row, name) for name in _COUNTERS)
    for name in _COUNTERS:
        setattr(row, name, max(getattr(row, name), getattr(counters, name)))
    return grew


def _days_write(*, user: User, device_id, days: list[pg.DayCounters]) -> list[date]:
    """Maximum-merge one source's days (one entry per date); the dates that changed."""
    folded_through = pg._folded_through(user=user, device_id=device_id)
    days = [day for day in days if day.date > folded_through]
    stored = {
        row.date: row
        for row in DeviceDay.objects.filter(
            user=user, device_id=device_id, date__in=[day.date for day in days]
        )
    }
    new, grown = [], []
    for day in days:
        row = stored.get(day.date)
        if row is None:
            new.append(DeviceDay(user=user, device_id=device_id, date=day.date))
            _raise_to(new[-1], day)
        elif _raise_to(row, day):
            grown.append(row)
    DeviceDay.objects.bulk_create(new)
    DeviceDay.objects.bulk_update(grown, _COUNTERS)
    return [row.date for row in new + grown]


def _baseline_write(*, user: User, device_id, baseline: pg.Counters | None) -> bool:
    if baseline is None or not (baseline.xp or baseline.sessions or baseline.minutes):
        return False
    row, _created = DeviceBaseline.objects.get_or_create(user=user, device_id=device_id)
    if not _raise_to(row, baseline):
        return False
    row.save(update_fields=_COUNTERS)
    return True


def _unlocks_write(*, user: User, unlocks) -> bool:
    unique = set(unlocks)
    if not unique:
        return False
    stored = Unlock.objects.filter(user=user, key__in={key for _, key in unique})
    new = unique - set(stored.values_list("kind", "key"))
    Unlock.objects.bulk_create([Unlock(user=user, kind=kind, key=key) for kind, key in new])
    return bool(new)


def _fold_if_due(*, user: User, state: SyncState, today: date, written: list[date]) -> bool:
    horizon = pg._retention_horizon(user, today)
    if not pg._fold_due(state, horizon) and not any(day < horizon for day in written):
        return False
    _fold(user=user, state=state, horizon=horizon)
    return True


def _fold(*, user: User, state: SyncState, horizon: date) -> bool:
    """services._fold: the streak facts first, then the days before `horizon` move into
    their sources' folded totals."""
    last_folded = pg._fold_streak_facts(user=user, state=state, horizon=horizon)
    gone = DeviceDay.objects.filter(user=user, date__lt=horizon)
    per_source = list(
        gone.values("device_id").annotate(**{name: Sum(name) for name in _COUNTERS}).order_by()
    )
    for sums in per_source:
        baseline, _created = DeviceBaseline.objects.get_or_create(
            user=user, device_id=sums["device_id"]
        )
        baseline.folded_xp += sums["xp"]
        baseline.folded_sessions += sums["sessions"]
        baseline.folded_minutes += sums["minutes"]
        baseline.folded_through = max(filter(None, [baseline.folded_through, last_folded]))
        baseline.save()
    gone.delete()
    return bool(per_source)


def _flags_raise(*, user: User, dates: list[date]) -> None:
    """services._FLAG_CHECK in Python: each changed day above FLAG_MIN_XP, with the per-day
    XP of the user's active days in the window before it and their median."""
    if not dates:
        return
    window = timedelta(days=rules.FLAG_WINDOW_DAYS)
    rows = DeviceDay.objects.filter(
        user=user, date__gte=min(dates) - window, date__lte=max(dates)
    ).values_list("date", "xp", "sessions")
    day_xp: dict[date, int] = defaultdict(int)
    active_xp: dict[date, int] = defaultdict(int)  # summed over the rows with sessions
    for day, xp, sessions in rows:
        day_xp[day] += xp
        if sessions > 0:
            active_xp[day] += xp
    checked = []
    for day in sorted(set(dates)):
        if day_xp[day] <= rules.FLAG_MIN_XP:
            continue
        history = [xp for other, xp in active_xp.items() if day - window <= other < day]
        checked.append((day, day_xp[day], len(history), float(median(history or [0]))))
    pg._flags_create(user=user, rows=checked)


def _import_source(*, user: User, keys: list[str]):
    """The device that first imported any of these sessions, if one did."""
    return (
        ImportedSession.objects.filter(user=user, session_key__in=keys, device__isnull=False)
        .order_by("id")
        .values_list("device_id", flat=True)
        .first()
    )


def _sessions_claim(*, user: User, device_id, keys: list[str]) -> list[str]:
    """Claim the sessions nobody imported before for the source; return those keys."""
    claimed = ImportedSession.objects.filter(user=user, session_key__in=keys)
    new = sorted(set(keys) - set(claimed.values_list("session_key", flat=True)))
    ImportedSession.objects.bulk_create(
        [ImportedSession(user=user, session_key=key, device_id=device_id) for key in new]
    )
    return new
