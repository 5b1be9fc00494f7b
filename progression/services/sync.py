"""Merging what one device sends (`sync_apply`), and the one call every write goes through.

Every rule of the merge (days, baseline, sets, preferences and their tie-break, folding, flags,
the version bump) is progression_sync_merge() in progression/sql/sync_merge.sql. It locks the
user's SyncState row first, so a user's writes are serialised while different users never wait
for each other. An upload is two round trips: the token, then this call and the state it
answers, sent together (breathmaster.db.pipeline).
"""

import json
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from uuid import UUID

from django.utils import timezone

from accounts.models import Device, User
from breathmaster.api.errors import ApplicationError
from breathmaster.db.pipeline import Statement, first_rows
from progression import rules
from progression.selectors import (
    state_facts_from_row,
    state_statement,
    sync_state_from_facts,
    user_today,
)
from progression.services.announce import progress_announce
from progression.services.payload import (
    Counters,
    DayCounters,
    MergeOutcome,
    Preferences,
    SyncPayload,
    _merged_days,
)
from progression.services.plausibility import days_check_plausible

_RULES = json.dumps(rules.merge_rules())
_NOTHING = Counters(0, 0, 0)
_MERGE_SQL = """
    SELECT * FROM progression_sync_merge(
        p_user => %(user)s::uuid, p_device => %(device)s::uuid,
        p_joined => %(joined)s::timestamptz, p_today => %(today)s::date,
        p_horizon => %(horizon)s::date, p_now => %(now)s::timestamptz,
        p_first_seen => %(first_seen)s::date,
        p_dates => %(dates)s::date[], p_xp => %(xp)s::int[],
        p_sessions => %(sessions)s::int[], p_minutes => %(minutes)s::int[],
        p_base_xp => %(base_xp)s::bigint, p_base_sessions => %(base_sessions)s::bigint,
        p_base_minutes => %(base_minutes)s::bigint,
        p_late_xp => %(late_xp)s::bigint, p_late_sessions => %(late_sessions)s::bigint,
        p_late_minutes => %(late_minutes)s::bigint,
        p_kinds => %(kinds)s::text[], p_keys => %(keys)s::text[],
        p_preferences => %(preferences)s::jsonb,
        p_preferences_at => %(preferences_at)s::timestamptz,
        p_rules => %(rules)s::jsonb)
"""


def retention_horizon(*, user: User, today: date) -> date:
    """The first day still kept: days before it are folded into baselines."""
    return today - timedelta(days=user.data_retention_days)


def progress_merge(
    *,
    user: User,
    source_id: UUID | None,
    today: date,
    days: Sequence[DayCounters] = (),
    baseline: Counters | None = None,
    late: Counters | None = None,
    unlocks: Iterable[tuple[str, str]] = (),
    preferences: Preferences | None = None,
    first_seen: date | None = None,
    read_with: Statement | None = None,
) -> MergeOutcome:
    """One call to progression_sync_merge() for one source of the user's progress.

    `source_id` is the device (or an import's source); `late` are an import's sessions on days
    already folded; `first_seen` starts the span the baseline is judged against. Raises
    `implausible_baseline` when the baseline claims more than that span allows (nothing is
    stored then). `read_with`, a statement, goes in the same round trip and transaction, after
    the merge; its first row is the outcome's `read_row`.
    """
    baseline, late = baseline or _NOTHING, late or _NOTHING
    unlocks = sorted(set(unlocks))
    params = {
        "user": user.pk,
        "device": source_id,
        "joined": user.date_joined,
        "today": today,
        "horizon": retention_horizon(user=user, today=today),
        "now": timezone.now(),
        "first_seen": first_seen,
        "dates": [day.date for day in days],
        "xp": [day.xp for day in days],
        "sessions": [day.sessions for day in days],
        "minutes": [day.minutes for day in days],
        "base_xp": baseline.xp,
        "base_sessions": baseline.sessions,
        "base_minutes": baseline.minutes,
        "late_xp": late.xp,
        "late_sessions": late.sessions,
        "late_minutes": late.minutes,
        "kinds": [kind for kind, _ in unlocks],
        "keys": [key for _, key in unlocks],
        "preferences": json.dumps(preferences.value) if preferences else None,
        "preferences_at": preferences.modified_at if preferences else None,
        "rules": _RULES,
    }
    merged, *read = first_rows([(_MERGE_SQL, params), *([read_with] if read_with else [])])
    refused, *outcome = merged
    if refused:
        raise ApplicationError(
            "This baseline holds more practice than the days it covers allow.",
            code="implausible_baseline",
        )
    changed, counters_changed, dates, folded, level_announced = outcome
    return MergeOutcome(
        changed,
        counters_changed,
        sorted(set(dates)),
        folded,
        level_announced,
        read_row=read[0] if read else None,
    )


def sync_apply(*, device: Device, payload: SyncPayload) -> dict:
    """Merge what one device sends; answers `{syncVersion, state}` as `sync_state_for` does.

    The merge and the state read go together in one round trip, in one transaction: the
    answer is the state this merge left, and a refused baseline stores nothing.
    """
    user = device.user
    today = user_today(user=user)
    days = _merged_days(payload.days)
    days_check_plausible(days=days, today=today)
    outcome = progress_merge(
        user=user,
        source_id=device.pk,
        today=today,
        days=days,
        baseline=payload.baseline,
        unlocks=payload.unlocks,
        preferences=payload.preferences,
        first_seen=payload.first_seen,
        read_with=state_statement(user=user, today=today),
    )
    answer = sync_state_from_facts(facts=state_facts_from_row(row=outcome.read_row))
    return progress_announce(user=user, outcome=outcome, answer=answer)
