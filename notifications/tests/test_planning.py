"""Planning passes (`manage.py send_reminders --at`): the right local day and time in each
user's zone, DST changes neither skip nor double a day, late runs catch up, replays plan
nothing twice."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from notifications.models import Reminder
from notifications.services import preference_update

pytestmark = pytest.mark.django_db


def _user(make_verified, email: str, zone: str, at: str, frequency: str = "daily"):
    user = make_verified(email)
    changes = {"enabled": True, "timezone": zone, "timeOfDay": at, "frequency": frequency}
    preference_update(user=user, changes={"email": changes})
    return user


@pytest.fixture
def make_verified(db):
    from allauth.account.models import EmailAddress

    from accounts.models import User

    def make(email: str):
        user = User.objects.create_user(email=email, password="calm-breath-42")
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    return make


def plan(at: datetime) -> str:
    out = StringIO()
    call_command("send_reminders", "--at", at.isoformat(), stdout=out)
    return out.getvalue()


def passes(first: datetime, last: datetime) -> dict[tuple, datetime]:
    """Run a pass every five minutes; answer when each (user, local day) row was first made."""
    made: dict[tuple, datetime] = {}
    at = first
    while at <= last:
        plan(at)
        for user_id, day in Reminder.objects.values_list("user_id", "local_date"):
            made.setdefault((user_id, day), at)
        at += timedelta(minutes=5)
    return made


def local(zone: str, *parts) -> datetime:
    return datetime(*parts, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def test_each_user_is_planned_at_their_own_local_time_across_a_spring_dst_change(
    make_verified,
):
    berlin = _user(make_verified, "berlin@example.com", "Europe/Berlin", "09:00")
    kolkata = _user(make_verified, "kolkata@example.com", "Asia/Kolkata", "09:00")
    # 02:30 does not exist in New York on 8 March 2026: clocks go from 02:00 to 03:00.
    new_york = _user(make_verified, "ny@example.com", "America/New_York", "02:30")
    made = passes(datetime(2026, 3, 7, 0, 0, tzinfo=UTC), datetime(2026, 3, 10, 0, 0, tzinfo=UTC))

    assert made[(berlin.pk, date(2026, 3, 8))] == local("Europe/Berlin", 2026, 3, 8, 9, 0)
    assert made[(kolkata.pk, date(2026, 3, 8))] == local("Asia/Kolkata", 2026, 3, 8, 9, 0)
    assert made[(new_york.pk, date(2026, 3, 7))] == local("America/New_York", 2026, 3, 7, 2, 30)
    # The missing 02:30 is not skipped: the first pass after it (03:00 EDT, 07:00 UTC) plans it.
    assert made[(new_york.pk, date(2026, 3, 8))] == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    assert made[(new_york.pk, date(2026, 3, 9))] == local("America/New_York", 2026, 3, 9, 2, 30)
    for user in (berlin, kolkata, new_york):
        days = sorted(d for u, d in made if u == user.pk)
        assert len(days) == len(set(days))
        assert Reminder.objects.filter(user=user).count() == len(days)


def test_the_repeated_hour_of_an_autumn_dst_change_plans_the_day_once(make_verified):
    # On 25 October 2026 Berlin's clocks go from 03:00 back to 02:00: 02:30 happens twice.
    berlin = _user(make_verified, "berlin@example.com", "Europe/Berlin", "02:30")
    made = passes(
        datetime(2026, 10, 24, 22, 0, tzinfo=UTC), datetime(2026, 10, 26, 3, 0, tzinfo=UTC)
    )
    first_0230 = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    assert made[(berlin.pk, date(2026, 10, 25))] == first_0230
    assert made[(berlin.pk, date(2026, 10, 26))] == local("Europe/Berlin", 2026, 10, 26, 2, 30)
    assert Reminder.objects.filter(user=berlin).count() == 2


def test_a_late_run_catches_up_the_same_local_day_and_a_replay_plans_nothing(make_verified):
    user = _user(make_verified, "late@example.com", "Australia/Sydney", "08:00")
    sydney_afternoon = local("Australia/Sydney", 2026, 6, 3, 15, 0)
    assert "Planned 1 " in plan(sydney_afternoon)
    assert "Planned 0 " in plan(sydney_afternoon)
    assert "Planned 0 " in plan(sydney_afternoon + timedelta(hours=8))  # still 3 June there
    row = Reminder.objects.get(user=user)
    assert (row.local_date, row.status, row.event_key) == (date(2026, 6, 3), "planned", "")
    # Before the time of day nothing is planned; the next local day is planned after it.
    assert "Planned 0 " in plan(local("Australia/Sydney", 2026, 6, 4, 7, 55))
    assert "Planned 1 " in plan(local("Australia/Sydney", 2026, 6, 4, 8, 0))


def test_weekly_and_monthly_are_due_on_mondays_and_on_the_first(make_verified):
    weekly = _user(make_verified, "weekly@example.com", "UTC", "09:00", "weekly")
    monthly = _user(make_verified, "monthly@example.com", "UTC", "09:00", "monthly")
    passes(datetime(2026, 5, 28, 0, 0, tzinfo=UTC), datetime(2026, 6, 9, 23, 55, tzinfo=UTC))
    weekly_days = sorted(Reminder.objects.filter(user=weekly).values_list("local_date", flat=True))
    assert weekly_days == [date(2026, 6, 1), date(2026, 6, 8)]  # the Mondays
    monthly_days = list(Reminder.objects.filter(user=monthly).values_list("local_date", flat=True))
    assert monthly_days == [date(2026, 6, 1)]


def test_users_with_email_off_are_never_planned(make_verified, verified_user):
    user = _user(make_verified, "off@example.com", "UTC", "09:00")
    preference_update(user=user, changes={"email": {"enabled": False}})
    assert "Planned 0 " in plan(datetime(2026, 6, 1, 12, 0, tzinfo=UTC))
    assert not Reminder.objects.exists()


def test_an_instant_without_an_offset_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_reminders", "--at", "2026-06-01T09:00")
