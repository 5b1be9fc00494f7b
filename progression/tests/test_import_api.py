"""Importing the extension's own export: exact totals from the sample, idempotent re-import."""

import copy
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from progression.models import DeviceDay

pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR).parent / "shared" / "fixtures" / "extension-export-sample.json"


@pytest.fixture
def export():
    return json.loads(FIXTURE.read_text())


def recent_export(export, shift_days):
    """The sample moved forward in time, so its days are within the retention window."""
    moved = copy.deepcopy(export)
    for session in moved["breathMaster"]["meditation"]["sessions"]:
        for name in ("startedAt", "endedAt"):
            moment = timezone.datetime.fromisoformat(session[name].replace("Z", "+00:00"))
            session[name] = (moment + timedelta(days=shift_days)).isoformat()
    return moved


def test_importing_the_sample_export_gives_the_totals_counted_by_hand(
    verified_user, device_client, export
):
    # 11 sessions: cycles + goal bonus sum to 435 XP (finalXP of the last one); the other
    # 45 of totalXP 480 came outside sessions -> baseline. 7 x 5 min + 4 x 8 min = 67 minutes,
    # exactly totalMeditationTime (4,020,000 ms). The export's streaks (5) are not trusted.
    laptop = device_client(verified_user)
    answer = laptop.post("/api/v1/sync/import", export)
    assert answer.status_code == 200, answer.json()
    state = answer.json()["state"]
    assert state["totalXP"] == 480
    assert state["totalSessions"] == 11
    assert state["totalMinutes"] == 67
    assert state["currentLevel"] == 4
    assert state["levelTitle"] == "Zen Developer"
    assert state["challengeHistory"] == ["Wed Aug 27 2025-cycles-0"]
    # Active days Aug 20-22 and 24-27 (UTC): the longest run is 4 days, and it ended long ago.
    assert state["longestStreak"] == 4
    assert state["currentStreak"] == 0
    assert state["unlockedAchievements"] == []


def test_imported_days_within_retention_keep_their_per_day_counters(
    verified_user, device_client, export
):
    today = timezone.now().date()
    shift = (today - timezone.datetime(2025, 8, 27).date()).days
    state = (
        device_client(verified_user)
        .post("/api/v1/sync/import", recent_export(export, shift))
        .json()["state"]
    )
    by_date = {entry["date"]: entry for entry in state["days"]}
    assert by_date[today.isoformat()] == {
        "date": today.isoformat(),
        "xp": 33,
        "sessions": 1,
        "minutes": 5,
    }
    two_sessions = (today - timedelta(days=1)).isoformat()
    assert by_date[two_sessions] == {"date": two_sessions, "xp": 84, "sessions": 2, "minutes": 13}
    assert sum(entry["xp"] for entry in state["days"]) == 435
    assert state["totalXP"] == 480
    assert state["currentStreak"] == 4
    assert state["longestStreak"] == 4


def test_importing_the_same_export_from_a_second_device_changes_nothing(
    verified_user, device_client, export
):
    first = device_client(verified_user).post("/api/v1/sync/import", export).json()
    again = device_client(verified_user, name="Desktop").post("/api/v1/sync/import", export)
    assert again.status_code == 200
    assert again.json() == first


def test_a_later_export_adds_only_the_sessions_not_imported_before(
    verified_user, device_client, export
):
    laptop = device_client(verified_user)
    older = copy.deepcopy(export)
    meditation = older["breathMaster"]["meditation"]
    meditation["sessions"] = meditation["sessions"][:5]
    meditation["totalXP"] = 201
    meditation["totalMeditationTime"] = 1_860_000
    assert laptop.post("/api/v1/sync/import", older).json()["state"]["totalXP"] == 201
    state = laptop.post("/api/v1/sync/import", export).json()["state"]
    assert (state["totalXP"], state["totalSessions"], state["totalMinutes"]) == (480, 11, 67)


def test_a_0_1_export_without_sessions_goes_to_the_baseline(verified_user, device_client):
    legacy = {
        "exportDate": "2025-06-02T10:00:00.000Z",
        "breathMaster": {
            "meditation": {
                "totalXP": 320,
                "currentStreak": 9,
                "longestStreak": 12,
                "todaySessionTime": 420000,
                "lastMeditationDate": "Mon Jun 02 2025",
                "totalMeditationTime": 2_700_000,
                "sessionsToday": 2,
            },
            "onboarding": {"hasSeenTour": True},
            "version": "0.1.0",
        },
    }
    laptop = device_client(verified_user)
    state = laptop.post("/api/v1/sync/import", legacy).json()["state"]
    # 320 XP and 45 minutes in all; the one known day (Jun 2, 2 sessions, 7 min) is kept.
    assert (state["totalXP"], state["totalSessions"], state["totalMinutes"]) == (320, 2, 45)
    assert state["longestStreak"] == 1
    assert state["currentLevel"] == 4
    again = device_client(verified_user, name="Desktop").post("/api/v1/sync/import", legacy)
    assert again.json()["state"] == state


def test_a_session_near_midnight_utc_lands_on_the_local_day(verified_user, device_client):
    verified_user.timezone = "America/New_York"
    verified_user.save(update_fields=["timezone"])
    today = timezone.now().date()
    started = f"{today.isoformat()}T02:30:00.000Z"  # still the previous evening in New York
    export = {
        "exportDate": f"{today.isoformat()}T03:00:00.000Z",
        "breathMaster": {
            "meditation": {
                "totalXP": 33,
                "totalMeditationTime": 300000,
                "sessions": [
                    {
                        "id": "sess-midnight",
                        "startedAt": started,
                        "endedAt": started,
                        "activeMs": 300000,
                        "cycles": 30,
                        "goalBonusXP": 3,
                        "finalXP": 33,
                    }
                ],
            },
            "onboarding": {},
            "version": "0.3.4",
        },
    }
    laptop = device_client(verified_user)
    answer = laptop.post("/api/v1/sync/import", export)
    assert answer.status_code == 200, answer.json()
    stored = DeviceDay.objects.get(user=verified_user)
    assert stored.date == today - timedelta(days=1)
    assert stored.device_id == laptop.device.pk  # the history of the device that sent it


def test_a_device_that_imports_and_then_syncs_the_same_days_counts_them_once(
    verified_user, device_client
):
    """The extension imports its history, then sends its own per-day counters: no doubling."""
    today = timezone.now().date()
    yesterday = today - timedelta(days=1)
    sessions = [
        {
            "id": f"sess-{i}",
            "startedAt": f"{day.isoformat()}T12:00:0{i}.000Z",
            "endedAt": f"{day.isoformat()}T12:05:0{i}.000Z",
            "activeMs": 300000,
            "cycles": 30,
            "goalBonusXP": 3,
            "finalXP": 33 * (i + 1),
        }
        for i, day in enumerate([yesterday, today])
    ]
    export = {
        "exportDate": f"{today.isoformat()}T13:00:00.000Z",
        "breathMaster": {
            "meditation": {"totalXP": 66, "totalMeditationTime": 600000, "sessions": sessions},
            "onboarding": {},
            "version": "0.3.4",
        },
    }
    laptop = device_client(verified_user)
    imported = laptop.post("/api/v1/sync/import", export).json()
    assert imported["state"]["totalXP"] == 66
    days = [
        {"date": day.isoformat(), "xp": 33, "sessions": 1, "minutes": 5}
        for day in (yesterday, today)
    ]
    synced = laptop.post("/api/v1/sync", {"days": days}, format="json").json()
    assert synced["state"]["totalXP"] == 66
    assert synced["state"]["totalSessions"] == 2
    assert synced["syncVersion"] == imported["syncVersion"]  # nothing new was stored
    # Another device that imports the same file adds nothing either.
    desktop = device_client(verified_user, name="Desktop")
    again = desktop.post("/api/v1/sync/import", export).json()
    assert again["state"]["totalXP"] == 66 and again["syncVersion"] == imported["syncVersion"]


def test_an_export_that_is_not_one_is_refused_and_nothing_is_stored(
    verified_user, device_client, export
):
    laptop = device_client(verified_user)
    broken = copy.deepcopy(export)
    broken["breathMaster"]["meditation"]["sessions"][3]["startedAt"] = "yesterday"
    answer = laptop.post("/api/v1/sync/import", broken)
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"
    assert laptop.post("/api/v1/sync/import", {"hello": 1}).status_code == 400
    assert not DeviceDay.objects.filter(user=verified_user).exists()
    assert laptop.get("/api/v1/sync/state").json()["syncVersion"] == 0
