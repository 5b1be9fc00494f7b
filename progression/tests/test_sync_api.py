"""The sync API through the front door: real device tokens, real PostgreSQL."""

from datetime import timedelta

import pytest
from django.utils import timezone

from breathmaster.testing.protocol import round_trips
from progression.models import DeviceDay
from progression.selectors import user_today

pytestmark = pytest.mark.django_db


def day(user, offset=0):
    return (user_today(user=user) - timedelta(days=offset)).isoformat()


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


def test_sending_the_same_request_again_does_not_bump_the_sync_version(
    verified_user, device_client
):
    laptop = device_client(verified_user)
    body = {
        "days": [{"date": day(verified_user), "xp": 30, "sessions": 1, "minutes": 5}],
        "baseline": {"xp": 10, "sessions": 1, "minutes": 2},
        "achievements": ["first-streak"],
        "patterns": ["boxing"],
        "presets": ["gentle-break"],
        "challenges": {"completed": ["Fri Nov 20 2026-cycles-0"]},
        "preferences": {"value": {"theme": "calm"}, "modifiedAt": "2026-11-20T08:00:00+01:00"},
    }
    first = laptop.post("/api/v1/sync", body).json()
    second = laptop.post("/api/v1/sync", body).json()
    assert first == second
    assert first["syncVersion"] == 1
    assert first["state"]["unlockedAchievements"] == ["first-streak"]
    assert first["state"]["challengeHistory"] == ["Fri Nov 20 2026-cycles-0"]
    assert first["state"]["preferences"] == {
        "value": {"theme": "calm"},
        "modifiedAt": "2026-11-20T07:00:00.000+00:00",
    }
    # A smaller counter is not a change: days only grow.
    smaller = {"days": [{"date": day(verified_user), "xp": 3, "sessions": 1, "minutes": 1}]}
    assert laptop.post("/api/v1/sync", smaller).json()["syncVersion"] == 1


def test_preferences_keep_the_latest_and_break_ties_the_same_way_in_any_order(
    verified_user, friend, device_client
):
    older = {"value": {"a": 1}, "modifiedAt": "2026-11-20T08:00:00+00:00"}
    newer = {"value": {"a": 2}, "modifiedAt": "2026-11-20T09:00:00+00:00"}
    tie = {"value": {"a": 3}, "modifiedAt": "2026-11-20T10:00:00+01:00"}  # same instant
    for user, order in ((verified_user, [older, newer, tie]), (friend, [tie, newer, older])):
        client = device_client(user)
        for preferences in order:
            answer = client.post("/api/v1/sync", {"preferences": preferences})
        assert answer.json()["state"]["preferences"]["value"] == {"a": 3}


def test_older_or_equal_preferences_change_nothing_and_keep_the_version(
    verified_user, device_client
):
    laptop = device_client(verified_user)
    newer = {"value": {"a": 2}, "modifiedAt": "2026-11-20T09:00:00+00:00"}
    laptop.post(
        "/api/v1/sync",
        {"days": [{"date": day(verified_user), "xp": 5, "sessions": 1, "minutes": 1}]},
    )
    version = laptop.post("/api/v1/sync", {"preferences": newer}).json()["syncVersion"]
    for preferences in (
        newer,
        {"value": {"a": 1}, "modifiedAt": "2026-11-20T08:00:00+00:00"},
        {"value": {"a": 2}, "modifiedAt": "2026-11-20T10:00:00+01:00"},  # the same instant
    ):
        answer = laptop.post("/api/v1/sync", {"preferences": preferences}).json()
        assert answer["syncVersion"] == version
        assert answer["state"]["preferences"]["value"] == {"a": 2}


@pytest.mark.parametrize(
    "body",
    [
        {"days": [{"date": "2026-11-20", "xp": 1.5, "sessions": 1, "minutes": 1}]},
        {"days": [{"date": "2026-11-20", "xp": True, "sessions": 1, "minutes": 1}]},
        {"days": [{"date": "2026-11-20", "xp": "5", "sessions": 1, "minutes": 1}]},
        {"days": [{"date": "2026-11-20", "xp": -1, "sessions": 1, "minutes": 1}]},
        {"days": [{"date": "20-11-2026", "xp": 1, "sessions": 1, "minutes": 1}]},
        {"days": [{"date": "2026-02-30", "xp": 1, "sessions": 1, "minutes": 1}]},
        {"days": [{"date": "2026-11-20", "xp": 1, "sessions": 1}]},
        {"days": "lots"},
        {"baseline": {"xp": 1.0, "sessions": 0, "minutes": 0}},
        {"achievements": [5]},
        {"patterns": ["x" * 65]},
        {"challenges": {"completed": "all"}},
        {"preferences": {"value": [], "modifiedAt": "2026-11-20T08:00:00+00:00"}},
        {"preferences": {"value": {}, "modifiedAt": "2026-11-20T08:00:00"}},
        # PostgreSQL cannot store NUL characters: refused as invalid, never a server error.
        {"achievements": ["first\x00streak"]},
        {"preferences": {"value": {"a": "\x00"}, "modifiedAt": "2026-11-20T08:00:00+00:00"}},
    ],
)
def test_bad_input_is_refused_and_nothing_changes(verified_user, device_client, body):
    laptop = device_client(verified_user)
    laptop.post("/api/v1/sync", {"achievements": ["first-streak"]})
    answer = laptop.post("/api/v1/sync", body)
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"
    assert answer.json()["errors"]
    assert laptop.get("/api/v1/sync/state").json()["syncVersion"] == 1


@pytest.mark.parametrize(
    ("counters", "offset", "code"),
    [
        ({"xp": 10, "sessions": 1, "minutes": 1441}, 0, "implausible_day"),
        ({"xp": 431, "sessions": 1, "minutes": 1}, 0, "implausible_day"),
        ({"xp": 10, "sessions": 1, "minutes": 5}, -2, "date_in_future"),
    ],
)
def test_implausible_days_are_refused_and_nothing_of_the_request_is_stored(
    verified_user, device_client, counters, offset, code
):
    laptop = device_client(verified_user)
    honest = {"date": day(verified_user, 1), "xp": 30, "sessions": 1, "minutes": 5}
    answer = laptop.post(
        "/api/v1/sync",
        {"days": [honest, {"date": day(verified_user, offset), **counters}], "patterns": ["x"]},
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == code
    assert not DeviceDay.objects.filter(user=verified_user).exists()
    assert laptop.get("/api/v1/sync/state").json()["state"]["unlockedPatterns"] == []


def test_the_most_a_minute_can_earn_and_tomorrow_are_still_accepted(verified_user, device_client):
    laptop = device_client(verified_user)
    answer = laptop.post(
        "/api/v1/sync",
        {"days": [{"date": day(verified_user, -1), "xp": 430, "sessions": 1, "minutes": 1}]},
    )
    assert answer.status_code == 200
    assert answer.json()["state"]["totalXP"] == 430


def test_a_stranger_sees_only_their_own_state(verified_user, stranger, device_client):
    mine = device_client(verified_user)
    mine.post(
        "/api/v1/sync",
        {
            "days": [{"date": day(verified_user), "xp": 50, "sessions": 1, "minutes": 5}],
            "achievements": ["first-streak"],
        },
    )
    theirs = device_client(stranger)
    state = theirs.get("/api/v1/sync/state").json()["state"]
    assert state["totalXP"] == 0
    assert state["unlockedAchievements"] == []
    # Their sync lands on their own account, never on Maya's.
    theirs.post(
        "/api/v1/sync", {"days": [{"date": day(stranger), "xp": 99, "sessions": 3, "minutes": 9}]}
    )
    assert mine.get("/api/v1/sync/state").json()["state"]["totalXP"] == 50


def test_every_sync_endpoint_needs_a_valid_token(api):
    for method, path in [
        ("post", "/api/v1/sync"),
        ("get", "/api/v1/sync/state"),
        ("post", "/api/v1/sync/import"),
        ("post", "/api/v1/sync/enable"),
        ("get", "/api/v1/stats"),
    ]:
        answer = getattr(api, method)(path, {} if method == "post" else None)
        assert answer.status_code == 401, path
        assert answer.json()["code"] == "not_authenticated"
    api.credentials(HTTP_AUTHORIZATION="Bearer bm_not-a-real-token")
    assert api.get("/api/v1/sync/state").status_code == 401


def test_a_revoked_device_cannot_sync_but_its_days_stay(verified_user, device_client):
    laptop, desktop = device_client(verified_user), device_client(verified_user, name="Desktop")
    laptop.post(
        "/api/v1/sync",
        {"days": [{"date": day(verified_user), "xp": 50, "sessions": 1, "minutes": 5}]},
    )
    laptop.device.revoked_at = timezone.now()
    laptop.device.save(update_fields=["revoked_at"])
    assert laptop.post("/api/v1/sync", {}).status_code == 401
    assert desktop.get("/api/v1/sync/state").json()["state"]["totalXP"] == 50


def test_state_answers_304_when_nothing_changed_since_the_etag(verified_user, device_client):
    laptop = device_client(verified_user)
    first = laptop.get("/api/v1/sync/state")
    etag = first.headers["ETag"]
    assert first.json()["syncVersion"] == 0
    assert laptop.get("/api/v1/sync/state", HTTP_IF_NONE_MATCH=etag).status_code == 304
    laptop.post("/api/v1/sync", {"patterns": ["boxing"]})
    changed = laptop.get("/api/v1/sync/state", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert changed.json()["state"]["unlockedPatterns"] == ["boxing"]


def test_the_state_has_exactly_the_syncable_game_state_fields(verified_user, device_client):
    state = device_client(verified_user).post("/api/v1/sync", {}).json()["state"]
    assert set(state) == {
        "totalXP",
        "currentLevel",
        "levelTitle",
        "currentStreak",
        "longestStreak",
        "totalSessions",
        "totalMinutes",
        "unlockedAchievements",
        "unlockedPatterns",
        "unlockedPresetsLibrary",
        "challengeHistory",
        "activeChallenges",
        "preferences",
        "days",
        "lastModified",
        "syncVersion",
    }
    assert state["lastModified"].endswith("+00:00")


def test_streaks_come_from_active_days_across_devices(verified_user, device_client):
    laptop, desktop = device_client(verified_user), device_client(verified_user, name="Desktop")
    one = {"xp": 10, "sessions": 1, "minutes": 2}
    # Yesterday and the two days before (on two devices), a gap, then three more: today is not
    # yet active, and the streak that ended yesterday still counts.
    laptop.post("/api/v1/sync", {"days": [{"date": day(verified_user, n), **one} for n in (1, 3)]})
    desktop.post(
        "/api/v1/sync", {"days": [{"date": day(verified_user, n), **one} for n in (2, 5, 6, 7, 8)]}
    )
    # A day with XP but no session is not an active day.
    desktop.post(
        "/api/v1/sync",
        {"days": [{"date": day(verified_user, 4), "xp": 5, "sessions": 0, "minutes": 1}]},
    )
    state = laptop.get("/api/v1/sync/state").json()["state"]
    assert (state["currentStreak"], state["longestStreak"]) == (3, 4)


def test_a_sync_request_stays_within_a_handful_of_queries(
    verified_user, device_client, django_assert_max_num_queries
):
    laptop = device_client(verified_user)
    body = {
        "days": [
            {"date": day(verified_user, n), "xp": 30, "sessions": 1, "minutes": 5}
            for n in range(30)
        ],
        "baseline": {"xp": 100, "sessions": 3, "minutes": 20},
        "achievements": ["first-streak"],
        "patterns": ["boxing"],
        "preferences": {"value": {}, "modifiedAt": "2026-11-20T08:00:00+00:00"},
    }
    laptop.post("/api/v1/sync", body)
    body["days"][0]["xp"] = 31
    # Auth, one call that locks, merges every write and checks for flags, one read of the state.
    with django_assert_max_num_queries(3):
        assert laptop.post("/api/v1/sync", body).status_code == 200
    # Auth and one read of the state.
    with django_assert_max_num_queries(2):
        assert laptop.get("/api/v1/sync/state").status_code == 200


def test_an_upload_is_two_round_trips_the_token_then_the_merge_with_its_answer(
    verified_user, device_client
):
    laptop = device_client(verified_user)
    body = {"days": [{"date": day(verified_user), "xp": 30, "sessions": 1, "minutes": 5}]}
    laptop.post("/api/v1/sync", body)  # the day's first upload; the device's "last seen"
    body["days"][0]["xp"] = 31
    answers = []
    assert round_trips(lambda: answers.append(laptop.post("/api/v1/sync", body))) == 2
    assert answers[0].status_code == 200
    assert answers[0].json()["state"]["totalXP"] == 31  # the state the merge left
