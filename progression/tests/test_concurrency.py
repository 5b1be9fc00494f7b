"""Many devices of one user syncing at the same moment against PostgreSQL: nothing is lost."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from breathmaster.testing.concurrency import run_together
from progression.models import SyncState
from progression.selectors import user_today

THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_eight_devices_syncing_at_once_keep_every_devices_progress(verified_user, device_client):
    clients = [device_client(verified_user, name=f"Device {n}") for n in range(THREADS)]
    today = user_today(user=verified_user)
    days = [(today - timedelta(days=n)).isoformat() for n in range(5)]

    def sync(index):
        body = {
            "days": [
                {"date": d, "xp": 10 + index, "sessions": 1, "minutes": 2 + index} for d in days
            ],
            "baseline": {"xp": 100 * index, "sessions": index, "minutes": 0},
            "achievements": [f"badge-{index}"],
        }
        return clients[index].post("/api/v1/sync", body).status_code

    assert run_together(sync, threads=THREADS) == [200] * THREADS
    state = clients[0].get("/api/v1/sync/state").json()
    expected_xp = sum(5 * (10 + n) + 100 * n for n in range(THREADS))
    assert state["state"]["totalXP"] == expected_xp
    assert state["state"]["totalSessions"] == sum(5 + n for n in range(THREADS))
    assert state["state"]["totalMinutes"] == sum(5 * (2 + n) for n in range(THREADS))
    assert len(state["state"]["unlockedAchievements"]) == THREADS
    assert state["syncVersion"] == THREADS


@pytest.mark.django_db(transaction=True)
def test_one_device_sending_the_same_request_at_once_counts_it_once(verified_user, device_client):
    laptop = device_client(verified_user)
    today = user_today(user=verified_user).isoformat()
    body = {"days": [{"date": today, "xp": 40, "sessions": 2, "minutes": 6}]}

    def send(_index):
        client = APIClient()  # one client per thread, all holding the same device's token
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {laptop.token}")
        return client.post("/api/v1/sync", body, format="json").status_code

    assert run_together(send, threads=THREADS) == [200] * THREADS
    state = laptop.get("/api/v1/sync/state").json()
    assert state["state"]["totalXP"] == 40
    assert state["syncVersion"] == 1
    assert SyncState.objects.get(user=verified_user).sync_version == 1
