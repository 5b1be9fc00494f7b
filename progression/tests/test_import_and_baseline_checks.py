"""Issue 9, items 3 and 4, through the front door: the import envelope is checked like /sync,
and baselines (sent or imported) are judged against the span they claim."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings

from progression.models import DeviceBaseline, DeviceDay, ImportedSession, SyncFlag, Unlock
from progression.selectors import (
    flagged_baseline_xp,
    user_has_open_baseline_flag,
    user_today,
)
from progression.selectors.boards import board_scores
from progression.services import flags_clear

pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR).parent / "shared" / "fixtures" / "extension-export-sample.json"


@pytest.fixture
def export():
    return json.loads(FIXTURE.read_text())


def stored(user) -> dict:
    """Everything an upload or an import could have written for the user."""
    return {
        "days": DeviceDay.objects.filter(user=user).count(),
        "baselines": DeviceBaseline.objects.filter(user=user).count(),
        "sessions": ImportedSession.objects.filter(user=user).count(),
        "unlocks": Unlock.objects.filter(user=user).count(),
        "flags": SyncFlag.objects.filter(user=user).count(),
    }


def assert_refused(answer, code: str) -> dict:
    assert answer.status_code == 400, answer.content
    body = answer.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def legacy_export(**meditation) -> dict:
    """An 0.1.x export (no sessions), as early versions of the extension wrote it."""
    fields = {
        "totalXP": 120,
        "currentStreak": 2,
        "longestStreak": 3,
        "todaySessionTime": 300_000,
        "lastMeditationDate": "Wed Aug 27 2025",
        "totalMeditationTime": 1_800_000,
        "sessionsToday": 1,
    }
    fields.update(meditation)
    return {
        "exportDate": "2025-08-27T17:30:00.000Z",
        "breathMaster": {"meditation": fields, "onboarding": {}, "version": "0.1.0"},
    }


# --- Item 3: every field of the envelope is checked; nothing of a bad one is stored ------------


def test_an_impossible_session_count_is_refused_and_nothing_is_stored(verified_user, device_client):
    laptop = device_client(verified_user)
    before = laptop.get("/api/v1/sync/state").json()["syncVersion"]
    answer = laptop.post(
        "/api/v1/sync/import", legacy_export(sessionsToday=3_000_000_000), format="json"
    )
    body = assert_refused(answer, "invalid")
    assert body["errors"] == {
        "breathMaster": {"meditation": {"sessionsToday": ["This number is too large."]}}
    }
    assert stored(verified_user) == dict.fromkeys(stored(verified_user), 0)
    assert laptop.get("/api/v1/sync/state").json()["syncVersion"] == before


def test_a_nul_in_a_challenge_id_is_refused_and_nothing_is_stored(
    verified_user, device_client, export
):
    laptop = device_client(verified_user)
    export["breathMaster"]["meditation"]["dailyChallenges"][0]["id"] = "Wed Aug 27 2025\x00-cycles"
    answer = laptop.post("/api/v1/sync/import", export, format="json")
    body = assert_refused(answer, "invalid")
    challenge = body["errors"]["breathMaster"]["meditation"]["dailyChallenges"]
    assert challenge == {"0": {"id": ["Must not contain NUL characters."]}}
    assert stored(verified_user) == dict.fromkeys(stored(verified_user), 0)


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("totalXP",), "480"),
        (("totalXP",), 480.5),
        (("sessionsToday",), -1),
        (("totalMeditationTime",), True),
        (("sessions", 0, "cycles"), 2_500_000_000),
        (("sessions", 0, "activeMs"), 90_000_000),
        (("sessions", 0, "id"), "x" * 129),
        (("sessions", 0, "startedAt"), "yesterday"),
        (("lastMeditationDate",), "Wed\x00Aug"),
        (("dailyChallenges",), [{"id": "a", "completed": True}] * 1001),
    ],
)
def test_wrongly_typed_or_sized_fields_of_a_real_export_are_refused(
    verified_user, device_client, export, where, value
):
    laptop = device_client(verified_user)
    container = export["breathMaster"]["meditation"]
    for step in where[:-1]:
        container = container[step]
    container[where[-1]] = value
    assert_refused(laptop.post("/api/v1/sync/import", export, format="json"), "invalid")
    assert stored(verified_user) == dict.fromkeys(stored(verified_user), 0)


def test_an_infinite_number_in_an_export_is_refused(verified_user, device_client):
    laptop = device_client(verified_user)
    text = json.dumps(legacy_export()).replace(
        '"totalMeditationTime": 1800000', '"totalMeditationTime": 1e400'
    )
    answer = laptop.post("/api/v1/sync/import", text, content_type="application/json")
    assert_refused(answer, "invalid")
    assert stored(verified_user) == dict.fromkeys(stored(verified_user), 0)


def test_real_exports_of_both_versions_still_import(verified_user, device_client, export):
    laptop = device_client(verified_user)
    assert laptop.post("/api/v1/sync/import", export, format="json").status_code == 200
    assert laptop.post("/api/v1/sync/import", legacy_export(), format="json").status_code == 200


# --- Item 4: baselines and imports are judged against the span they claim ----------------------


def test_an_impossible_baseline_is_refused_and_nothing_is_stored(verified_user, device_client):
    laptop = device_client(verified_user)
    before = laptop.get("/api/v1/sync/state").json()["syncVersion"]
    answer = laptop.post(
        "/api/v1/sync",
        {"baseline": {"xp": 2_000_000_000, "sessions": 0, "minutes": 95}},
        format="json",
    )
    assert_refused(answer, "implausible_baseline")
    # The same refusal when the baseline claims more minutes than its days hold.
    first_seen = (user_today(user=verified_user) - timedelta(days=9)).isoformat()
    answer = laptop.post(
        "/api/v1/sync",
        {
            "days": [{"date": first_seen, "xp": 10, "sessions": 1, "minutes": 2}],
            "baseline": {"xp": 100, "sessions": 3, "minutes": 10 * 1440 + 1},
        },
        format="json",
    )
    assert_refused(answer, "implausible_baseline")
    assert stored(verified_user) == dict.fromkeys(stored(verified_user), 0)
    assert laptop.get("/api/v1/sync/state").json()["syncVersion"] == before


def test_an_import_claiming_impossible_totals_is_refused_and_nothing_is_stored(
    verified_user, device_client, export
):
    laptop = device_client(verified_user)
    export["breathMaster"]["meditation"]["totalXP"] = 10_000_000_000_000
    assert_refused(
        laptop.post("/api/v1/sync/import", export, format="json"), "implausible_baseline"
    )
    assert_refused(
        laptop.post(
            "/api/v1/sync/import", legacy_export(totalXP=10_000_000_000_000), format="json"
        ),
        "implausible_baseline",
    )
    assert stored(verified_user) == dict.fromkeys(stored(verified_user), 0)


def test_an_unusual_baseline_is_kept_flagged_and_counted_on_no_board_until_cleared(
    verified_user, staff, device_client
):
    laptop = device_client(verified_user)
    first_seen = user_today(user=verified_user) - timedelta(days=30)
    # 31 days could hold 39,400 XP for 900 minutes (refused beyond), but 20,000 is above the
    # highest honest rate (13 XP a minute) plus 200 XP a day (17,900): kept, flagged.
    answer = laptop.post(
        "/api/v1/sync",
        {
            "days": [
                {
                    "date": user_today(user=verified_user).isoformat(),
                    "xp": 50,
                    "sessions": 1,
                    "minutes": 5,
                }
            ],
            "baseline": {
                "xp": 20_000,
                "sessions": 40,
                "minutes": 900,
                "firstSeenDate": first_seen.isoformat(),
            },
        },
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["state"]["totalXP"] == 20_050  # the user's own total keeps it
    assert user_has_open_baseline_flag(user=verified_user)
    flag = SyncFlag.objects.get(user=verified_user)
    assert (flag.kind, flag.device_id, flag.day_xp) == ("baseline", laptop.device.pk, 20_000)
    assert flagged_baseline_xp(user_ids=[verified_user.pk]) == {verified_user.pk: 20_000}
    assert list(board_scores(first=None, last=None, user_ids=[verified_user.pk])) == [
        (verified_user.pk, 50, 905)
    ]
    flags_clear(flag_ids=[flag.pk], by=staff)
    assert not user_has_open_baseline_flag(user=verified_user)
    assert flagged_baseline_xp(user_ids=[verified_user.pk]) == {}
    assert list(board_scores(first=None, last=None, user_ids=[verified_user.pk])) == [
        (verified_user.pk, 20_050, 905)
    ]


def test_an_honest_baseline_is_neither_refused_nor_flagged(verified_user, device_client):
    laptop = device_client(verified_user)
    answer = laptop.post(
        "/api/v1/sync", {"baseline": {"xp": 480, "sessions": 0, "minutes": 95}}, format="json"
    )
    assert answer.status_code == 200
    assert not user_has_open_baseline_flag(user=verified_user)
