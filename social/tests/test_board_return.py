"""An account that comes back (deletion undone, sync turned on) is on the boards at once.

Accounts writes those with `.update()` (no signal): its `return_hooks` tell social, which
re-files the user when the change commits, not at their next sync.
"""

import pytest
from rest_framework.test import APIClient

from social.tests.conftest import day

pytestmark = pytest.mark.django_db


def names_on_board(viewer) -> list[str]:
    answer = viewer.client.get("/api/v1/leaderboards/global", {"period": "month"})
    assert answer.status_code == 200, answer.content
    return [entry["displayName"] for entry in answer.json()["entries"]]


def test_a_restored_account_is_back_on_the_board_at_once(
    member, sync_days, django_capture_on_commit_callbacks
):
    maya, ben = (
        member("Maya", leaderboard_global="named"),
        member("Ben", leaderboard_global="named"),
    )
    sync_days(maya, {day(0): 120})
    sync_days(ben, {day(0): 80})
    assert names_on_board(ben) == ["Maya", "Ben"]

    with django_capture_on_commit_callbacks(execute=True):
        code = maya.client.delete("/api/v1/me").json()["restoreCode"]
    assert names_on_board(ben) == ["Ben"]

    with django_capture_on_commit_callbacks(execute=True):
        restored = APIClient().post(
            "/api/v1/auth/restore", {"restoreCode": code, "deviceName": "Laptop"}
        )
    assert restored.status_code == 201, restored.content

    assert names_on_board(ben) == ["Maya", "Ben"]


def test_turning_sync_on_puts_the_practice_already_synced_on_the_board_at_once(
    member, sync_days, django_capture_on_commit_callbacks
):
    ben = member("Ben", leaderboard_global="named")
    sync_days(ben, {day(0): 80})
    maya = member("Maya", sync=False, leaderboard_global="named")
    # Eight days of practice, sent before opting in: enough for the invitation's steps.
    sync_days(maya, {day(-n): (100, 4, 20) for n in range(8)})
    assert names_on_board(ben) == ["Ben"]

    with django_capture_on_commit_callbacks(execute=True):
        enabled = maya.client.post("/api/v1/sync/enable")
    assert enabled.status_code == 200, enabled.content

    assert names_on_board(ben) == ["Maya", "Ben"]
