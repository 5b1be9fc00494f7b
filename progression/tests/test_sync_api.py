"""The sync API through the front door: real device tokens, real PostgreSQL."""

from datetime import timedelta

import pytest

from progression.selectors import user_today

pytestmark = pytest.mark.django_db


def day(user, offset=0):
    return (user_today(user) - timedelta(days=offset)).isoformat()


def test_sync_merges_offline_progress_from_two_devices(verified_user, device_client):
    laptop, desktop = device_client(verified_user), device_client(verified_user, name="Desktop")
    today = day(verified_user)
    laptop.post("/api/v1/sync", {"days": [{"date": today, "xp": 60, "sessions": 2, "minutes": 10}]})
    answer = desktop.post(
        "/api/v1/sync",
        {
            "days": [{"date": today, "xp": 40, "sessions": 1, "minutes": 5}],
            "baseline": {"xp": 480, "sessions": 20, "minutes": 95},
        },
    )
    assert answer.status_code == 200, answer.json()
    state = answer.json()["state"]
    assert state["totalXP"] == 580
    assert state["totalSessions"] == 23
    assert state["totalMinutes"] == 110
    assert state["currentLevel"] == 5
    assert state["levelTitle"] == "Mindful Master"
    assert state["days"] == [{"date": today, "xp": 100, "sessions": 3, "minutes": 15}]
    assert state["currentStreak"] == 1
    assert answer.json()["syncVersion"] == state["syncVersion"] == 2
