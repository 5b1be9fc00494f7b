"""One walk through the sync API, from first upload to export, answering as the contract says.

(This walk once ran a second time on a fallback database; PostgreSQL is now the one database, and
the walk keeps checking every answer along the way, and devices syncing at once.)
"""

import json
import threading
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connections
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import device_create
from progression.selectors import user_today
from progression.tasks import fold_expired_days

FIXTURE = Path(settings.BASE_DIR).parent / "shared" / "fixtures" / "extension-export-sample.json"

# Totals after the walk: the synced days and baseline (1360 XP, 18 sessions, 98 minutes) plus
# the sample export's sessions (435 XP, 11 sessions, 67 minutes; its days are folded, being over
# a year old). The export is the laptop's history, so its unexplained 45 XP merges by maximum
# with the baseline of 100 the laptop sent, and adds nothing.
EXPECTED = {
    "timezone": "Europe/Berlin",
    "versions": {
        "laptop": 1,
        "desktop": 2,
        "repeated": 2,
        "grown": 3,
        "implausible": 3,
        "imported": 4,
        "importedAgain": 4,
    },
    "foldedUsers": 1,
    "implausible": [400, "implausible_day"],
    "stateAnswers": [200, 304],
    "totals": {"totalXP": 1795, "totalSessions": 29, "totalMinutes": 165},
    "streaks": {"currentStreak": 1, "longestStreak": 6},
    "recentDays": [
        {"daysAgo": 7, "xp": 40, "sessions": 1, "minutes": 5},
        {"daysAgo": 6, "xp": 40, "sessions": 1, "minutes": 5},
        {"daysAgo": 5, "xp": 40, "sessions": 1, "minutes": 5},
        {"daysAgo": 4, "xp": 40, "sessions": 1, "minutes": 5},
        {"daysAgo": 3, "xp": 90, "sessions": 3, "minutes": 13},
        {"daysAgo": 2, "xp": 90, "sessions": 3, "minutes": 12},
        {"daysAgo": 0, "xp": 900, "sessions": 3, "minutes": 30},
    ],
    "flaggedDaysAgo": [0],
    "devices": ["Desktop", "Laptop"],
    "afterRevoke": {"status": 204, "devices": ["Laptop"], "revokedToken": 401},
    "export": "ready",
}


def _device_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def walk_through_the_api() -> dict:
    """Every step of the fallback check, through the HTTP API; a summary of the answers.

    Dates are sent and reported relative to the account's today, so the two runs agree even
    when they straddle midnight.
    """
    signup = APIClient().post("/api/v1/auth/anonymous", {"deviceName": "Laptop"}).json()
    laptop = _device_client(signup["token"])
    me = laptop.patch("/api/v1/me", {"timezone": "Europe/Berlin"}).json()
    user = User.objects.get(pk=signup["userId"])
    _device, desktop_token = device_create(user=user, name="Desktop", platform="darwin")
    desktop = _device_client(desktop_token)
    today = user_today(user=user)

    def days(*entries):
        return [
            {
                "date": (today - timedelta(days=ago)).isoformat(),
                "xp": xp,
                "sessions": s,
                "minutes": m,
            }
            for ago, xp, s, m in entries
        ]

    versions = {}
    laptop_body = {
        "days": days((40, 20, 1, 3), *[(ago, 40, 1, 5) for ago in range(7, 1, -1)]),
        "baseline": {"xp": 100, "sessions": 4, "minutes": 20},
        "achievements": ["first-streak"],
        "preferences": {"value": {"theme": "calm"}, "modifiedAt": "2026-11-20T08:00:00+01:00"},
    }
    versions["laptop"] = laptop.post("/api/v1/sync", laptop_body).json()["syncVersion"]
    # Overlapping days: each device's own counters are kept, the day is their sum.
    desktop_body = {"days": days((3, 50, 2, 8), (2, 30, 1, 4), (0, 900, 3, 30))}
    versions["desktop"] = desktop.post("/api/v1/sync", desktop_body).json()["syncVersion"]
    versions["repeated"] = desktop.post("/api/v1/sync", desktop_body).json()["syncVersion"]
    # The laptop practised more that day after its last sync: its own counters grow.
    grown = laptop.post("/api/v1/sync", {"days": days((2, 60, 2, 8))})
    versions["grown"] = grown.json()["syncVersion"]
    implausible = laptop.post("/api/v1/sync", {"days": days((1, 10, 1, 2000))})
    versions["implausible"] = laptop.get("/api/v1/sync/state").json()["syncVersion"]

    export = json.loads(FIXTURE.read_text())
    imported = laptop.post("/api/v1/sync/import", export).json()
    again = desktop.post("/api/v1/sync/import", export).json()
    assert again == imported
    versions["imported"] = imported["syncVersion"]
    versions["importedAgain"] = again["syncVersion"]

    # A shorter retention: the daily task folds the day 40 days ago into the baseline.
    laptop.patch("/api/v1/me", {"privacy": {"dataRetentionDays": 30}}, format="json")
    folded_users = fold_expired_days.delay().get()

    first = laptop.get("/api/v1/sync/state")
    unchanged = laptop.get("/api/v1/sync/state", HTTP_IF_NONE_MATCH=first["ETag"])
    state = first.json()["state"]

    devices = laptop.get("/api/v1/devices").json()["results"]
    desktop_id = next(device["id"] for device in devices if device["name"] == "Desktop")
    revoked = laptop.delete(f"/api/v1/devices/{desktop_id}")

    export_id = laptop.post("/api/v1/me/export").json()["exportId"]
    exported = laptop.get(f"/api/v1/me/export/{export_id}").json()
    url = urlsplit(exported["downloadUrl"])
    document = APIClient().get(f"{url.path}?{url.query}").json()
    flagged = document["progression"]["flaggedDays"]

    def days_ago(value: str) -> int:
        return (today - date.fromisoformat(value)).days

    return {
        "timezone": me["timezone"],
        "versions": versions,
        "foldedUsers": folded_users,
        "implausible": [implausible.status_code, implausible.json()["code"]],
        "stateAnswers": [first.status_code, unchanged.status_code],
        "totals": {name: state[name] for name in ("totalXP", "totalSessions", "totalMinutes")},
        "streaks": {name: state[name] for name in ("currentStreak", "longestStreak")},
        "recentDays": [
            {"daysAgo": days_ago(day["date"]), **{k: v for k, v in day.items() if k != "date"}}
            for day in state["days"]
        ],
        "flaggedDaysAgo": [days_ago(day) for day in flagged],
        "devices": sorted(device["name"] for device in devices),
        "afterRevoke": {
            "status": revoked.status_code,
            "devices": sorted(
                device["name"] for device in laptop.get("/api/v1/devices").json()["results"]
            ),
            "revokedToken": desktop.get("/api/v1/me").status_code,
        },
        "export": exported["status"],
        # The rest of the state, for the field-by-field comparison (dates differ by run).
        "state": {k: v for k, v in state.items() if k not in ("days", "lastModified")},
    }


def syncs_at_once(devices: int = 6, days: int = 5) -> dict:
    """Devices of one account syncing at the same moment, each from its own thread."""
    signup = APIClient().post("/api/v1/auth/anonymous", {"deviceName": "Device 0"}).json()
    user = User.objects.get(pk=signup["userId"])
    tokens = [signup["token"]]
    tokens += [
        device_create(user=user, name=f"Device {n}", platform="linux")[1] for n in range(1, devices)
    ]
    today = user_today(user=user)
    answers = []

    def sync(token):
        client = _device_client(token)
        for ago in range(days):
            day = {
                "date": (today - timedelta(days=ago)).isoformat(),
                "xp": 10,
                "sessions": 1,
                "minutes": 2,
            }
            answers.append(client.post("/api/v1/sync", {"days": [day]}).status_code)
        connections.close_all()

    threads = [threading.Thread(target=sync, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    state = _device_client(tokens[0]).get("/api/v1/sync/state").json()
    return {
        "answers": sorted(set(answers)),
        "syncVersion": state["syncVersion"],
        "totalXP": state["state"]["totalXP"],
    }


@pytest.mark.django_db(transaction=True)
def test_a_walk_through_the_api_answers_as_the_contract_says():
    walk = walk_through_the_api()
    for name, expected in EXPECTED.items():
        assert walk[name] == expected, name


@pytest.mark.django_db(transaction=True)
def test_devices_syncing_at_once_all_count():
    assert syncs_at_once() == {"answers": [200], "syncVersion": 30, "totalXP": 300}
