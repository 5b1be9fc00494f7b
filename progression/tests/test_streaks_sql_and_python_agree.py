"""Streaks are read in SQL (the state statement and the fold, through progression_streak_runs()
in progression/sql/sync_merge.sql) and in Python (progression.streaks, for bulk reads such as
leaderboards). On random histories, with and without a folded run carried in, they agree."""

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from accounts.services import device_create
from progression.models import DeviceDay, SyncState
from progression.selectors import state_facts
from progression.streaks import runs_from_dates, runs_with_carry, streaks_from_runs

DAY0 = date(2026, 10, 1)
EXAMPLES = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def histories_with_carry(draw):
    """Active days, and maybe a folded run carried in: most often ending the day before the
    first active day (the case that extends it), else a few days earlier or anywhere."""
    offsets = draw(st.lists(st.integers(0, 45), max_size=30))
    if not draw(st.booleans()):
        return offsets, None
    first = min(offsets, default=0)
    end = draw(st.one_of(st.just(first - 1), st.integers(first - 4, first), st.integers(-3, 45)))
    return offsets, (DAY0 + timedelta(days=end), draw(st.integers(1, 40)))


class Rollback(Exception):
    pass


def _sql_runs(dates, carry_end, carry_length):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT first_day, last_day, length FROM progression_streak_runs(%s::date[], %s, %s)"
            " ORDER BY first_day",
            [dates, carry_end, carry_length],
        )
        return cursor.fetchall()


@pytest.mark.django_db
@EXAMPLES
@given(histories_with_carry())
def test_runs_of_active_days_are_the_same_in_sql_and_python(history):
    offsets, carry = history
    dates = [DAY0 + timedelta(days=n) for n in offsets]
    carry_end, carry_length = carry or (None, 0)
    python = runs_with_carry(runs_from_dates(dates), carry_end, carry_length)
    assert _sql_runs(dates, carry_end, carry_length) == [
        (run.start, run.end, run.length) for run in python
    ]


@pytest.mark.django_db
@EXAMPLES
@given(histories_with_carry(), st.integers(0, 50), st.integers(0, 60))
def test_the_states_streaks_are_the_same_in_sql_and_python(history, today_at, folded):
    offsets, carry = history
    dates = sorted({DAY0 + timedelta(days=n) for n in offsets})
    carry_end, carry_length = carry or (None, 0)
    today = DAY0 + timedelta(days=today_at)
    try:
        with transaction.atomic():
            user = User.objects.create_user(display_name="Streaks")
            device = device_create(user=user, name="Laptop")[0]
            DeviceDay.objects.bulk_create(
                DeviceDay(user=user, device=device, date=day, xp=10, sessions=1, minutes=2)
                for day in dates
            )
            SyncState.objects.create(
                user=user,
                streak_carry_end=carry_end,
                streak_carry_length=carry_length,
                longest_streak_folded=folded,
            )
            facts = state_facts(user=user, today=today)
            raise Rollback
    except Rollback:
        pass
    runs = runs_with_carry(runs_from_dates(dates), carry_end, carry_length)
    python = streaks_from_runs(runs, today=today, longest_folded=folded)
    assert (facts.current_streak, facts.longest_streak) == (python.current, python.longest)
