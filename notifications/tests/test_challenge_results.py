"""A joined challenge's end, told to each participant once, finished or not: the real close job
(two runs at once, then a third), the feed read through the API with a device token, the email
read from the SMTP server a real worker delivers to; each only where preferences allow."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from breathmaster.testing.concurrency import run_together
from breathmaster.testing.worker import wait_for
from notifications.models import Reminder
from notifications.services import preference_update
from notifications.tests.helpers import person, practised
from social import events as social_events
from tests.community_practice import ended_challenge_joined_by

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

FEED = "/api/v1/notifications"


def closing_jobs_at_once(count: int = 2) -> list[int]:
    from social.tasks import close_ended_challenges

    # The task called as a function: Celery's eager `apply()` flips a process-wide "joins would
    # block" flag that two threads at once can leave set, failing any later `.get()` here.
    closed = run_together(lambda _: close_ended_challenges(), threads=count)
    return sorted(closed)


def results_in_feed(client) -> list[dict]:
    items = client.get(FEED).json()["results"]
    return [item for item in items if item["kind"] == "challenge_result"]


def result_emails(smtp_server, address: str) -> list:
    return [m for m in smtp_server.to(address) if m["X-Breath-Master-Kind"] == "challenge_result"]


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_each_participant_hears_of_a_challenge_end_once_where_they_allow_it(
    mail_worker, smtp_server, device_client
):
    fin = person("fin@example.com", "UTC", "09:00", name="Fin")
    idle = person("idle@example.com", "UTC", "09:00", name="Idle")
    quiet = person("quiet@example.com", "UTC", "09:00", name="Quiet")
    stranger = person("stranger@example.com", "UTC", "09:00", name="Stranger")
    preference_update(user=idle, changes={"email": {"types": {"challengeDeadline": False}}})
    preference_update(user=quiet, changes={"inApp": {"celebrateAchievements": False}})
    today = timezone.now().date()
    practised(fin, {today - timedelta(days=6): 5, today - timedelta(days=5): 5})
    for someone in (idle, quiet):
        practised(someone, {today - timedelta(days=6): 5})
    ended_challenge_joined_by(fin, idle, quiet)
    announced = []
    spy = lambda sender, **event: announced.append(event["user_id"])  # noqa: E731
    social_events.challenge_result.connect(spy, dispatch_uid="test-challenge-result")
    try:
        assert closing_jobs_at_once() == [0, 1]
        assert closing_jobs_at_once(1) == [0]  # and a later run finds it closed
    finally:
        social_events.challenge_result.disconnect(dispatch_uid="test-challenge-result")
    assert sorted(announced) == sorted([fin.pk, idle.pk, quiet.pk])  # once each

    [fin_email] = wait_for(lambda: result_emails(smtp_server, "fin@example.com"), timeout=30)
    [quiet_email] = wait_for(lambda: result_emails(smtp_server, "quiet@example.com"), timeout=30)
    wait_for(lambda: not Reminder.objects.filter(status__in=["planned", "sending"]).exists())
    time.sleep(1)  # whatever else was queued has run

    [fin_item] = results_in_feed(device_client(fin))
    assert fin_item["title"] == "You finished “Two calm days”"
    assert "you reached its goal: 2 of 2 days. 50 XP are yours." in fin_item["body"]
    assert fin_email["Subject"] == "Your challenge has ended"
    assert fin_email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert {part.get_content_type() for part in fin_email.iter_parts()} == {
        "text/plain",
        "text/html",
    }
    assert "2 of 2 days. 50 XP are yours." in text_of(fin_email)

    # Not finished: told kindly, in the app only (challenge emails are off for Idle).
    [idle_item] = results_in_feed(device_client(idle))
    assert idle_item["title"] == "“Two calm days” has ended"
    assert "You reached 1 of 2 days (50%)." in idle_item["body"]
    assert result_emails(smtp_server, "idle@example.com") == []

    # Quiet turned celebrations off in the app: the email only.
    assert results_in_feed(device_client(quiet)) == []
    assert "You reached 1 of 2 days (50%)." in text_of(quiet_email)

    assert results_in_feed(device_client(stranger)) == []
    assert result_emails(smtp_server, "stranger@example.com") == []
    assert len(result_emails(smtp_server, "fin@example.com")) == 1
