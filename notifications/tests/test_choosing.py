"""The one best reminder, in the seed's order, with real numbers: a streak of 3+ days, a
gentle return after a missed yesterday, a joined challenge ending within two days, the weekly
summary on Mondays; kinds switched off are passed over; a day with nothing kind to say sends
nothing. Sends run in-process here (the worker tests cover delivery)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.services import user_sync_enable
from notifications.models import Reminder
from notifications.services import preference_update
from notifications.tests.helpers import person, practised
from progression.selectors import user_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def send_now(django_capture_on_commit_callbacks):
    def send() -> list:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", stdout=StringIO())
        return mail.outbox

    return send


@pytest.fixture
def ana(db):
    # Due at any moment of the day: her time of day is midnight.
    user = person("ana@example.com", "UTC", "00:00", name="Ana")
    user_sync_enable(user=user)
    return user


def _joined_challenge_ending_tomorrow(user, target: int = 60):
    from social.models import ChallengeType
    from social.services import challenge_create, challenge_join

    challenge = challenge_create(
        created_by=None,
        title="Calm week",
        type=ChallengeType.GLOBAL,
        goal_metric="totalMinutes",
        goal_target=target,
        duration_days=5,
        starts_at=timezone.now() - timedelta(days=4),
    )
    challenge_join(challenge=challenge, user=user)
    return challenge


def _kinds(messages) -> list[str]:
    return [message.extra_headers["X-Breath-Master-Kind"] for message in messages]


def test_a_streak_comes_first(ana, send_now):
    today = user_today(user=ana)
    practised(ana, {today - timedelta(days=n): 10 for n in (1, 2, 3)})
    _joined_challenge_ending_tomorrow(ana)
    [message] = send_now()
    assert _kinds([message]) == ["streak_celebration"]
    assert "3 days in a row" in message.body


def test_a_challenge_ending_soon_shows_its_progress(ana, send_now):
    today = user_today(user=ana)
    _joined_challenge_ending_tomorrow(ana, target=60)
    practised(ana, {today: 15})
    [message] = send_now()
    assert _kinds([message]) == ["challenge_progress"]
    assert "You are at 15 of 60 (25%)" in message.body
    assert '"Calm week" ends' in message.body


def test_kinds_switched_off_are_passed_over(ana, send_now):
    today = user_today(user=ana)
    practised(ana, {today - timedelta(days=n): 10 for n in (1, 2, 3)})
    _joined_challenge_ending_tomorrow(ana)
    preference_update(user=ana, changes={"email": {"types": {"streakReminder": False}}})
    assert _kinds(send_now()) == ["challenge_progress"]


def test_a_day_with_nothing_kind_to_say_sends_nothing(ana, send_now):
    preference_update(user=ana, changes={"email": {"types": {"weeklyProgress": False}}})
    assert send_now() == []
    reminder = Reminder.objects.get(user=ana)
    assert (reminder.status, reminder.last_error) == ("skipped", "nothing_to_send")
    assert send_now() == []  # and the day stays done


def test_email_turned_off_after_planning_sends_nothing(
    ana, send_now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        call_command("send_reminders", stdout=StringIO())  # planned, not sent yet
    preference_update(user=ana, changes={"email": {"enabled": False}})
    from notifications.tasks import send_reminders

    send_reminders(list(Reminder.objects.values_list("id", flat=True)))
    assert mail.outbox == []
    assert Reminder.objects.get(user=ana).last_error == "email_off"
