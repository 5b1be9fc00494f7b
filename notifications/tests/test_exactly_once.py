"""Exactly once: two planners at the same instant, a worker killed mid-send (SIGKILL), a
replayed `--at`; afterwards every due reminder was delivered once: no duplicate, none missed."""

import os
import signal
import time
from collections import Counter
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from breathmaster.testing.concurrency import run_together
from breathmaster.testing.worker import wait_for
from notifications.models import Reminder
from notifications.tests.conftest import start_worker, stop_worker
from notifications.tests.helpers import person

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# A Monday: everyone's reminder is at least the weekly summary, so every row becomes an email.
MONDAY_EVENING = datetime(2026, 6, 1, 20, 0, tzinfo=UTC)
ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Africa/Nairobi"]
PEOPLE = 40


def plan(at: datetime) -> str:
    out = StringIO()
    call_command("send_reminders", "--at", at.isoformat(), stdout=out)
    return out.getvalue()


def planners_at_once(at: datetime, count: int = 2) -> list[str]:
    return run_together(lambda _: plan(at), threads=count)


def planned_in(outputs: list[str]) -> int:
    return sum(int(output.split()[1]) for output in outputs)


def test_two_planners_and_a_killed_worker_deliver_each_reminder_exactly_once(
    mail_worker, smtp_server, settings, tmp_path
):
    emails = [f"p{i}@example.com" for i in range(PEOPLE)]
    for index, address in enumerate(emails):
        person(address, ZONES[index % len(ZONES)], "09:00")
    smtp_server.hold_next.set()  # the worker's first message stops mid-conversation

    outputs = planners_at_once(MONDAY_EVENING)
    assert planned_in(outputs) == PEOPLE  # the two planners split the work, never doubled it
    assert Reminder.objects.count() == PEOPLE

    assert smtp_server.holding.wait(timeout=30)
    os.kill(mail_worker.pid, signal.SIGKILL)  # killed while sending
    mail_worker.wait(timeout=10)
    smtp_server.release.set()
    assert smtp_server.count() == 0
    # The killed batch's rows are claimed ('sending') and never finished; none was sent.
    assert Reminder.objects.filter(status="sending").exists()
    assert not Reminder.objects.filter(status="sent").exists()

    # A replay of the same instant plans nothing new; once the lease has passed it takes back
    # the unfinished rows for a new worker.
    settings.NOTIFICATIONS_SEND_LEASE_SECONDS = 1
    time.sleep(1.5)
    second = start_worker(tmp_path, "second")
    try:
        output = plan(MONDAY_EVENING)
        assert output.startswith("Planned 0 reminder(s)")
        wait_for(lambda: smtp_server.count() >= PEOPLE, timeout=60)
        wait_for(lambda: not Reminder.objects.exclude(status="sent").exists())
        assert plan(MONDAY_EVENING).startswith("Planned 0 reminder(s); 0 unfinished")
        time.sleep(1)
    finally:
        stop_worker(second)

    delivered = Counter(message["To"] for message in smtp_server.messages)
    duplicates = {to: n for to, n in delivered.items() if n > 1}
    missed = set(emails) - set(delivered)
    assert (duplicates, missed) == ({}, set())
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}


def test_a_worker_killed_mid_batch_sends_again_only_what_it_had_not_sent(
    mail_worker, smtp_server, settings, tmp_path
):
    emails = [f"b{i}@example.com" for i in range(6)]
    for address in emails:
        person(address, "UTC", "09:00")
    smtp_server.hold_after = 3  # one batch: three emails go through, the fourth is held
    smtp_server.hold_next.set()
    assert plan(MONDAY_EVENING).startswith("Planned 6 reminder(s)")

    assert smtp_server.holding.wait(timeout=30)
    os.kill(mail_worker.pid, signal.SIGKILL)
    mail_worker.wait(timeout=10)
    smtp_server.release.set()
    # Each email is marked sent as soon as it has gone, not with the rest of its batch.
    assert smtp_server.count() == 3
    assert Reminder.objects.filter(status="sent").count() == 3

    settings.NOTIFICATIONS_SEND_LEASE_SECONDS = 1
    time.sleep(1.5)
    second = start_worker(tmp_path, "second")
    try:
        assert plan(MONDAY_EVENING).startswith("Planned 0 reminder(s); 3 unfinished")
        wait_for(lambda: not Reminder.objects.exclude(status="sent").exists())
        time.sleep(1)
    finally:
        stop_worker(second)
    delivered = Counter(message["To"] for message in smtp_server.messages)
    assert delivered == dict.fromkeys(emails, 1)


def test_a_row_queued_twice_is_sent_once(mail_worker, smtp_server):
    from notifications.tasks import send_reminders

    emails = [f"q{i}@example.com" for i in range(6)]
    for address in emails:
        person(address, "UTC", "09:00")
    plan(MONDAY_EVENING)
    ids = list(Reminder.objects.values_list("id", flat=True))
    send_reminders.delay(ids)  # the same rows again, as a lost-and-found task might
    send_reminders.delay(ids[::-1])
    wait_for(lambda: not Reminder.objects.exclude(status="sent").exists())
    time.sleep(2)  # let every queued task finish
    delivered = Counter(message["To"] for message in smtp_server.messages)
    assert delivered == dict.fromkeys(emails, 1)
