"""Properties of the merge: order and repetition never matter, and nothing sent is lost.

Most examples exercise the pure pieces (day de-duplication, preferences, streaks, levels,
export reading) against a plain reference model; fewer go through the database service, each
inside a transaction rolled back at its end. Together well over two thousand examples, in well
under two minutes on two cores.
"""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from accounts.services import device_create
from progression import imports, levels, services
from progression.models import Unlock
from progression.selectors import sync_state_for, user_today
from progression.streaks import runs_from_dates, runs_with_carry, streaks_from_runs

PURE = settings(max_examples=700, deadline=None, database=None)
THROUGH_DB = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

DAY0 = date(2026, 11, 1)
day_counters = st.builds(
    services.DayCounters,
    date=st.integers(0, 20).map(lambda n: DAY0 + timedelta(days=n)),
    xp=st.integers(0, 400),
    sessions=st.integers(0, 6),
    minutes=st.integers(0, 90),
)
baselines = st.builds(
    services.Counters,
    xp=st.integers(0, 5000),
    sessions=st.integers(0, 50),
    minutes=st.integers(0, 900),
)
preferences = st.builds(
    services.Preferences,
    value=st.dictionaries(st.sampled_from("abc"), st.integers(0, 3), max_size=2),
    modified_at=st.integers(0, 5).map(lambda n: datetime(2026, 11, 1, 8, n, tzinfo=UTC)),
)
unlock_items = st.tuples(st.sampled_from(list(Unlock.Kind.values)), st.sampled_from("wxyz"))
payloads = st.builds(
    services.SyncPayload,
    days=st.lists(day_counters, max_size=6).map(tuple),
    baseline=st.none() | baselines,
    unlocks=st.lists(unlock_items, max_size=3).map(tuple),
    preferences=st.none() | preferences,
)
requests = st.lists(st.tuples(st.integers(0, 2), payloads), min_size=1, max_size=6)


# --- The reference model: what the contract says, written as plainly as possible -------------


def canonical_json(value) -> str:
    """Compact JSON with keys sorted: the preferences tie-break compares it."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass
class Reference:
    days: dict
    baselines: dict
    unlocks: set
    preferences: tuple | None

    @classmethod
    def from_requests(cls, sent) -> "Reference":
        model = cls({}, {}, set(), None)
        for device, payload in sent:
            for day in payload.days:
                key = (device, day.date)
                old = model.days.get(key, (0, 0, 0))
                model.days[key] = tuple(map(max, old, (day.xp, day.sessions, day.minutes)))
            if payload.baseline:
                old = model.baselines.get(device, (0, 0, 0))
                new = (payload.baseline.xp, payload.baseline.sessions, payload.baseline.minutes)
                model.baselines[device] = tuple(map(max, old, new))
            model.unlocks |= set(payload.unlocks)
            if payload.preferences:
                p = payload.preferences
                candidate = (p.modified_at, canonical_json(p.value), p.value)
                model.preferences = max(filter(None, [model.preferences, candidate]))
        return model

    def totals(self) -> tuple[int, int, int]:
        counted = list(self.days.values()) + list(self.baselines.values())
        return tuple(sum(c[i] for c in counted) for i in range(3))


# --- Pure properties ---------------------------------------------------------------------------


@PURE
@given(st.lists(day_counters, max_size=12), st.randoms())
def test_merging_days_of_one_request_ignores_order_and_repeats(days, rnd):
    shuffled = days + days[: len(days) // 2]
    rnd.shuffle(shuffled)
    assert services._merged_days(days) == services._merged_days(shuffled)
    for merged in services._merged_days(days):
        same_date = [d for d in days if d.date == merged.date]
        assert merged.xp == max(d.xp for d in same_date)
        assert merged.minutes == max(d.minutes for d in same_date)


@PURE
@given(st.lists(st.integers(0, 60), max_size=40), st.integers(0, 62))
def test_streaks_match_a_day_by_day_count(offsets, today_offset):
    dates = [DAY0 + timedelta(days=n) for n in offsets]
    today = DAY0 + timedelta(days=today_offset)
    streaks = streaks_from_runs(runs_with_carry(runs_from_dates(dates), None, 0), today=today)
    active = set(dates)
    longest = run = 0
    for n in range(0, 62):
        run = run + 1 if DAY0 + timedelta(days=n) in active else 0
        longest = max(longest, run)
    assert streaks.longest == longest
    expected = 0
    cursor = max((d for d in active), default=None)
    if cursor is not None and cursor >= today - timedelta(days=1):
        while cursor in active:
            expected += 1
            cursor -= timedelta(days=1)
    assert streaks.current == expected


@PURE
@given(st.integers(0, 100_000))
def test_levels_are_monotonic_and_unbounded(xp):
    level = levels.level_for_xp(xp)
    assert level.xp_required <= xp < level.next_xp_required
    assert levels.level_for_xp(level.xp_required).number == level.number
    assert levels.level_for_xp(level.next_xp_required).number == level.number + 1
    assert level.title


sessions_strategy = st.lists(
    st.tuples(
        st.integers(0, 30 * 24 * 60), st.integers(1, 40), st.integers(0, 3), st.integers(0, 30)
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda s: s[0],
)


def _export(sessions, extra_xp, extra_ms):
    total, rows = 0, []
    for minute, cycles, bonus, between in sorted(sessions):
        total += between + cycles + bonus
        started = datetime(2026, 10, 1, tzinfo=UTC) + timedelta(minutes=minute)
        rows.append(
            {
                "id": f"sess-{minute}",
                "startedAt": started.isoformat(),
                "endedAt": started.isoformat(),
                "activeMs": cycles * 10_000,
                "cycles": cycles,
                "goalBonusXP": bonus,
                "finalXP": total,
            }
        )
    return {
        "exportDate": "2026-11-01T00:00:00Z",
        "breathMaster": {
            "version": "0.3.4",
            "onboarding": {},
            "meditation": {
                "totalXP": total + extra_xp,
                "totalMeditationTime": sum(r["activeMs"] for r in rows) + extra_ms,
                "sessions": rows,
            },
        },
    }


@PURE
@given(
    sessions_strategy,
    st.integers(0, 500),
    st.integers(0, 600_000),
    st.sampled_from(["UTC", "America/New_York", "Asia/Tokyo", "Pacific/Kiritimati"]),
)
def test_reading_an_export_explains_every_xp_once(sessions, extra_xp, extra_ms, zone):
    export = _export(sessions, extra_xp, extra_ms)
    plan = imports.plan_from_export(export, ZoneInfo(zone))
    meditation = export["breathMaster"]["meditation"]
    assert sum(s.xp for s in plan.sessions) + plan.baseline_xp == meditation["totalXP"]
    assert len(plan.sessions) == len(sessions)
    assert plan.baseline_minutes == imports.round_half_up(extra_ms / 60_000)


# --- Through the database service, rolled back per example -------------------------------------


class Rollback(Exception):
    pass


def _apply_all(sent) -> dict:
    user = User.objects.create_user(display_name="Prop")
    devices = [device_create(user=user, name=f"Device {n}")[0] for n in range(3)]
    for device_index, payload in sent:
        services.sync_apply(device=devices[device_index], payload=payload)
    return sync_state_for(user=user)["state"]


def _in_rollback(function, *args):
    result = {}
    try:
        with transaction.atomic():
            result["value"] = function(*args)
            raise Rollback
    except Rollback:
        pass
    return result["value"]


def _shifted(sent, today):
    """Requests moved so their days sit just before today (inside retention, not future), and
    plausible in any order: each baseline says the extension was first seen when its days
    begin, so the span it is judged against never depends on what arrived before it."""
    shift = today - DAY0 - timedelta(days=21)
    return [
        (
            device,
            services.SyncPayload(
                days=tuple(
                    services.DayCounters(d.date + shift, d.xp, d.sessions, d.minutes)
                    for d in payload.days
                    if d.xp <= 30 * d.minutes + 400
                ),
                baseline=payload.baseline,
                unlocks=payload.unlocks,
                preferences=payload.preferences,
                first_seen=DAY0 + shift,
            ),
        )
        for device, payload in sent
    ]


@pytest.mark.django_db
@THROUGH_DB
@given(st.lists(preferences, min_size=1, max_size=5), st.randoms())
def test_preferences_end_the_same_in_any_order(sent, rnd):
    def final(order):
        def run():
            user = User.objects.create_user(display_name="Prefs")
            device = device_create(user=user, name="Laptop")[0]
            for p in order:
                services.sync_apply(device=device, payload=services.SyncPayload(preferences=p))
            kept = sync_state_for(user=user)["state"]["preferences"]
            return kept["modifiedAt"], canonical_json(kept["value"])

        return _in_rollback(run)

    shuffled = sent * 2
    rnd.shuffle(shuffled)
    assert final(sent) == final(shuffled)
    latest = max(p.modified_at for p in sent)
    assert final(sent)[0] == latest.astimezone(UTC).isoformat(timespec="milliseconds")


@pytest.mark.django_db
@THROUGH_DB
@given(requests, st.randoms())
def test_any_order_with_repeats_gives_the_same_state_and_loses_nothing(sent, rnd):
    sent = _shifted(sent, user_today(user=SimpleNamespace(timezone="UTC")))
    replay = sent + [rnd.choice(sent) for _ in range(2)]
    rnd.shuffle(replay)
    first = _in_rollback(_apply_all, sent)
    second = _in_rollback(_apply_all, replay)
    for state in (first, second):
        state.pop("lastModified")
        state.pop("syncVersion")
    assert first == second
    reference = Reference.from_requests(sent)
    assert (first["totalXP"], first["totalSessions"], first["totalMinutes"]) == (reference.totals())
    kinds = {
        Unlock.Kind.ACHIEVEMENT: "unlockedAchievements",
        Unlock.Kind.PATTERN: "unlockedPatterns",
        Unlock.Kind.PRESET: "unlockedPresetsLibrary",
        Unlock.Kind.CHALLENGE: "challengeHistory",
    }
    for kind, name in kinds.items():
        assert first[name] == sorted(key for k, key in reference.unlocks if k == kind)
    if reference.preferences:
        assert first["preferences"]["value"] == reference.preferences[2]


@pytest.mark.django_db
@THROUGH_DB
@given(sessions_strategy, st.integers(0, 300), st.integers(1, 11))
def test_importing_parts_of_an_export_then_the_whole_counts_each_session_once(
    sessions, extra_xp, cut
):
    def run():
        user = User.objects.create_user(display_name="Importer", data_retention_days=3650)
        a, b = (device_create(user=user, name=name)[0] for name in ("A", "B"))
        export = _export(sessions, extra_xp, 0)
        # An earlier export of the same install: the first sessions, the same running totals.
        partial = _export(sorted(sessions)[:cut], 0, 0)
        services.sync_import(device=a, export=partial)
        services.sync_import(device=b, export=export)
        services.sync_import(device=a, export=export)
        return sync_state_for(user=user)["state"], export

    state, export = _in_rollback(run)
    meditation = export["breathMaster"]["meditation"]
    assert state["totalSessions"] == len(sessions)
    assert state["totalXP"] == meditation["totalXP"]
    assert state["totalMinutes"] == sum(
        imports.round_half_up(cycles / 6) for _minute, cycles, _bonus, _between in sessions
    )
