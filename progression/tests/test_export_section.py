"""The data export carries everything progression keeps: days, baselines, sets, preferences."""

from urllib.parse import urlsplit

import pytest
from rest_framework.test import APIClient

from progression.selectors import user_today

pytestmark = pytest.mark.django_db


def test_the_export_holds_synced_days_baselines_sets_and_preferences(
    verified_user, device_client, django_capture_on_commit_callbacks
):
    laptop = device_client(verified_user)
    today = user_today(user=verified_user).isoformat()
    laptop.post(
        "/api/v1/sync",
        {
            "days": [{"date": today, "xp": 30, "sessions": 1, "minutes": 5}],
            "baseline": {"xp": 100, "sessions": 4, "minutes": 20},
            "patterns": ["boxing"],
            "preferences": {"value": {"sound": False}, "modifiedAt": "2026-11-20T08:00:00Z"},
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        export_id = laptop.post("/api/v1/me/export").json()["exportId"]
    url = urlsplit(laptop.get(f"/api/v1/me/export/{export_id}").json()["downloadUrl"])
    document = APIClient().get(f"{url.path}?{url.query}").json()
    progression = document["progression"]
    assert progression["days"] == [
        {"deviceId": str(laptop.device.pk), "date": today, "xp": 30, "sessions": 1, "minutes": 5}
    ]
    assert progression["baselines"][0]["xp"] == 100
    assert progression["unlocked"]["pattern"] == ["boxing"]
    assert progression["preferences"]["value"] == {"sound": False}
