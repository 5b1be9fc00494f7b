"""What progression announces to the apps above it (progression.events), through the front door.

Each test listens as social and notifications do (a receiver connected to the signal) and
runs the on-commit callbacks the way a real commit would.
"""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings

from progression import services
from progression.events import days_changed, level_reached
from progression.models import SyncFlag
from progression.selectors import user_today
from progression.tasks import fold_expired_days

pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR).parent / "shared" / "fixtures" / "extension-export-sample.json"


@pytest.fixture
def heard():
    """Every event sent while the test runs, as (name, payload) pairs, in order."""
    events = []

    def listen(name):
        def receiver(sender, signal, **payload):
            events.append((name, payload))

        return receiver

    receivers = {days_changed: listen("days_changed"), level_reached: listen("level_reached")}
    # Only this listener: the apps above test their own receivers.
    others = {signal: signal.receivers for signal in receivers}
    for signal, receiver in receivers.items():
        signal.receivers = []
        signal.sender_receivers_cache.clear()
        signal.connect(receiver)
    yield events
    for signal, saved in others.items():
        signal.receivers = saved
        signal.sender_receivers_cache.clear()


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """POST through the API, running what the request queued for after its commit."""

    def send(client, path, body):
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(path, body, format="json")
        assert answer.status_code == 200, answer.json()
        return answer.json()

    return send


def day(user, offset=0):
    return user_today(user=user) - timedelta(days=offset)


def test_a_sync_that_stores_days_announces_them_once(verified_user, device_client, post, heard):
    laptop = device_client(verified_user)
    days = [
        {"date": day(verified_user, n).isoformat(), "xp": 20, "sessions": 1, "minutes": 4}
        for n in (2, 1)
    ]
    post(laptop, "/api/v1/sync", {"days": days})
    assert heard == [
        (
            "days_changed",
            {"user_id": verified_user.pk, "dates": [day(verified_user, 2), day(verified_user, 1)]},
        )
    ]
    heard.clear()
    post(laptop, "/api/v1/sync", {"days": days})  # nothing new
    post(laptop, "/api/v1/sync", {"achievements": ["first-streak"]})  # no counters
    assert heard == []


def test_a_sync_that_lifts_the_level_announces_each_level_once(
    verified_user, device_client, post, heard
):
    laptop = device_client(verified_user)
    post(laptop, "/api/v1/sync", {"baseline": {"xp": 40, "sessions": 2, "minutes": 10}})
    assert [name for name, _ in heard] == ["days_changed"]  # level 1 still
    heard.clear()
    today = {"date": day(verified_user).isoformat(), "xp": 320, "sessions": 3, "minutes": 30}
    answer = post(laptop, "/api/v1/sync", {"days": [today]})
    assert answer["state"]["currentLevel"] == 4
    levels = [payload for name, payload in heard if name == "level_reached"]
    assert levels == [
        {"user_id": verified_user.pk, "level": 2, "title": "Breathing Novice", "previous_level": 1},
        {"user_id": verified_user.pk, "level": 3, "title": "Calm Coder", "previous_level": 1},
        {"user_id": verified_user.pk, "level": 4, "title": "Zen Developer", "previous_level": 1},
    ]
    heard.clear()
    post(laptop, "/api/v1/sync", {"days": [today]})
    desktop = device_client(verified_user, name="Desktop")
    post(desktop, "/api/v1/sync", {"days": [{**today, "xp": 100, "minutes": 10}]})  # no new level
    assert [payload["level"] for name, payload in heard if name == "level_reached"] == []


def test_an_import_and_an_award_announce_what_they_change(
    verified_user, device_client, post, heard, django_capture_on_commit_callbacks
):
    verified_user.data_retention_days = 3650
    verified_user.save(update_fields=["data_retention_days"])
    laptop = device_client(verified_user)
    export = json.loads(FIXTURE.read_text())
    answer = post(laptop, "/api/v1/sync/import", export)
    assert answer["state"]["totalXP"] == 480
    names = [name for name, _ in heard]
    assert names.count("days_changed") == 1
    assert [p["level"] for n, p in heard if n == "level_reached"] == [2, 3, 4]
    imported_dates = next(p["dates"] for n, p in heard if n == "days_changed")
    assert len(imported_dates) == 7  # the sample's sessions fall on seven days
    heard.clear()
    post(laptop, "/api/v1/sync/import", export)  # the same file again: nothing
    assert heard == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.award_grant(user=verified_user, xp=30, reason="challenge:7")
        assert not services.award_grant(user=verified_user, xp=30, reason="challenge:7")
    assert heard == [
        (
            "level_reached",
            {
                "user_id": verified_user.pk,
                "level": 5,
                "title": "Mindful Master",
                "previous_level": 4,
            },
        )
    ]


def test_folding_and_clearing_a_flag_announce_the_days_they_touch(
    verified_user, staff, device_client, post, heard, django_capture_on_commit_callbacks
):
    laptop = device_client(verified_user)
    history = [
        {"date": day(verified_user, n).isoformat(), "xp": 30, "sessions": 1, "minutes": 5}
        for n in range(1, 11)
    ]
    spike = {"date": day(verified_user).isoformat(), "xp": 420, "sessions": 4, "minutes": 40}
    post(laptop, "/api/v1/sync", {"days": [*history, spike]})
    heard.clear()
    flag = SyncFlag.objects.get(user=verified_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.flags_clear(flag_ids=[flag.pk], by=staff) == 1
        assert services.flags_clear(flag_ids=[flag.pk], by=staff) == 0
    assert heard == [("days_changed", {"user_id": verified_user.pk, "dates": [day(verified_user)]})]
    heard.clear()
    verified_user.data_retention_days = 5
    verified_user.save(update_fields=["data_retention_days"])
    with django_capture_on_commit_callbacks(execute=True):
        assert fold_expired_days.apply().get() == 1
    folded = [day(verified_user, n) for n in range(10, 5, -1)]
    assert heard == [("days_changed", {"user_id": verified_user.pk, "dates": folded})]
