"""Reminders delivered by a real Celery worker to a real SMTP server (aiosmtpd), read back:
the right local time in several zones (one on its DST change day), the right kind with the
user's real numbers, HTML and plain text, RFC 8058 headers, and an unsubscribe link that works
through the live site as a mail provider would use it."""

import re
import urllib.parse
import urllib.request
from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from breathmaster.testing.worker import wait_for
from notifications.models import NotificationPreference, Reminder
from notifications.tests.helpers import person, practised

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def plan(at: datetime) -> None:
    call_command("send_reminders", "--at", at.isoformat(), stdout=StringIO())


def settle() -> None:
    """Wait until the worker has finished every row planned so far."""
    wait_for(lambda: not Reminder.objects.filter(status__in=["planned", "sending"]).exists())


def parts(message) -> dict[str, str]:
    return {part.get_content_type(): part.get_content() for part in message.iter_parts()}


@pytest.fixture
def cast(db):
    maya = person("maya@example.com", "Europe/Berlin", "09:00", name="Maya")
    practised(maya, {date(2026, 3, d): m for d, m in [(4, 10), (5, 12), (6, 8), (7, 15)]})
    # New York changes to summer time on 8 March 2026: 02:30 does not exist that night.
    theo = person("theo@example.com", "America/New_York", "02:30", name="Theo")
    practised(theo, {date(2026, 3, 5): 6, date(2026, 3, 6): 9})
    sam = person("sam@example.com", "Asia/Kolkata", "09:00", frequency="weekly", name="Sam")
    practised(sam, {date(2026, 3, 3): 20, date(2026, 3, 5): 10})
    return maya, theo, sam


def test_reminders_arrive_at_each_users_local_time_with_their_numbers(
    cast, mail_worker, smtp_server
):
    maya, theo, sam = cast
    plan(datetime(2026, 3, 8, 6, 55, tzinfo=UTC))  # 01:55 in New York, 07:55 in Berlin
    settle()
    assert smtp_server.count() == 0
    plan(datetime(2026, 3, 8, 7, 0, tzinfo=UTC))  # 03:00 EDT: the missing 02:30 has passed
    wait_for(lambda: smtp_server.to("theo@example.com"))
    assert not smtp_server.to("maya@example.com")
    plan(datetime(2026, 3, 8, 7, 55, tzinfo=UTC))  # 08:55 in Berlin
    settle()
    assert not smtp_server.to("maya@example.com")
    plan(datetime(2026, 3, 8, 8, 0, tzinfo=UTC))  # 09:00 in Berlin
    wait_for(lambda: smtp_server.to("maya@example.com"))
    assert not smtp_server.to("sam@example.com")  # weekly: Mondays only
    plan(datetime(2026, 3, 9, 3, 30, tzinfo=UTC))  # Monday 09:00 in Kolkata
    wait_for(lambda: smtp_server.to("sam@example.com"))
    settle()

    [streak] = smtp_server.to("maya@example.com")
    assert streak["X-Breath-Master-Kind"] == "streak_celebration"
    assert streak["Subject"] == "4 days of calm, and counting"
    assert streak.get_content_type() == "multipart/alternative"
    body = parts(streak)
    assert set(body) == {"text/plain", "text/html"}
    for text in body.values():
        assert "4 days in a row" in text
        assert "45 minutes" in text  # 10 + 12 + 8 + 15 this week
    assert "<p" in body["text/html"] and "<p" not in body["text/plain"]

    [gentle] = smtp_server.to("theo@example.com")
    assert gentle["X-Breath-Master-Kind"] == "gentle_return"
    assert "2 days" in parts(gentle)["text/plain"]

    [summary] = smtp_server.to("sam@example.com")
    assert summary["X-Breath-Master-Kind"] == "progress_summary"
    assert "30 minutes over 2 days" in parts(summary)["text/plain"]

    assert smtp_server.count() == 3
    rows = Reminder.objects.filter(event_key="").order_by("user__email")
    assert [(r.user.email, r.local_date, r.kind, r.status) for r in rows] == [
        ("maya@example.com", date(2026, 3, 8), "streak_celebration", "sent"),
        ("sam@example.com", date(2026, 3, 9), "progress_summary", "sent"),
        ("theo@example.com", date(2026, 3, 8), "gentle_return", "sent"),
    ]


def test_one_click_unsubscribe_works_through_the_real_links(
    cast, mail_worker, smtp_server, live_server
):
    maya, _theo, _sam = cast
    plan(datetime(2026, 3, 8, 8, 0, tzinfo=UTC))
    [message] = wait_for(lambda: smtp_server.to("maya@example.com"))
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header_url = re.fullmatch(r"\s*<(\S+)>\s*", str(message["List-Unsubscribe"]))[1]
    assert header_url.startswith(live_server.url + "/notifications/unsubscribe/")

    # A GET (a link scanner, a preview) only asks; nothing changes.
    with urllib.request.urlopen(header_url) as page:
        assert page.status == 200
        assert "Stop emails about streak notes?" in page.read().decode()
    assert NotificationPreference.objects.get(user=maya).streak_reminder is True

    # The mail provider's one-click POST (RFC 8058), no session, no CSRF token.
    one_click = urllib.parse.urlencode({"List-Unsubscribe": "One-Click"}).encode()
    with urllib.request.urlopen(urllib.request.Request(header_url, data=one_click)) as page:
        assert page.status == 200
    preference = NotificationPreference.objects.get(user=maya)
    assert (preference.streak_reminder, preference.email_enabled) == (False, True)

    # The "stop all email" link in the plain text works the same way.
    all_url = re.search(r"Stop all email: (\S+)", parts(message)["text/plain"])[1]
    with urllib.request.urlopen(urllib.request.Request(all_url, data=b"")) as page:
        assert "All email from Breath Master will stop." in page.read().decode()
    assert NotificationPreference.objects.get(user=maya).email_enabled is False

    # A tampered link changes nothing and says so kindly.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(urllib.request.Request(header_url[:-3] + "xx/", data=b""))
    assert refused.value.code == 400


def test_a_failed_send_is_retried_with_backoff_and_recorded(cast, mail_worker, smtp_server):
    smtp_server.refusals["maya@example.com"] = 2
    plan(datetime(2026, 3, 8, 8, 0, tzinfo=UTC))
    [message] = wait_for(lambda: smtp_server.to("maya@example.com"), timeout=30)
    maya = cast[0]
    daily = Reminder.objects.filter(user=maya, event_key="", status="sent")
    reminder = wait_for(daily.first)
    assert reminder.attempts == 3
    assert "451" in reminder.last_error
    assert message["X-Breath-Master-Kind"] == "streak_celebration"
