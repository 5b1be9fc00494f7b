import pytest
from django.utils import timezone

from accounts.models import DataExport
from social import services

pytestmark = pytest.mark.django_db


def test_the_data_export_lists_friends_requests_and_challenges_with_least_data(
    device_client,
    verified_user,
    friend,
    stranger,
    open_to_requests,
    django_capture_on_commit_callbacks,
):
    from accounts.services import user_sync_enable

    user_sync_enable(user=verified_user)
    open_to_requests(friend)
    open_to_requests(stranger)
    request = services.friend_request_send(from_user=verified_user, friend_code=friend.friend_code)
    services.friend_request_accept(request=request, by=friend)
    services.friend_request_send(from_user=verified_user, friend_code=stranger.friend_code)
    challenge = services.challenge_create(
        created_by=verified_user,
        title="Lunch breaths",
        type="custom",
        goal_metric="sessions",
        goal_target=5,
        duration_days=5,
        starts_at=timezone.now(),
    )
    services.challenge_join(challenge=challenge, user=verified_user)
    client = device_client(verified_user)

    with django_capture_on_commit_callbacks(execute=True):
        export_id = client.post("/api/v1/me/export").json()["exportId"]
    social = DataExport.objects.get(pk=export_id).document["social"]

    assert social["friends"] == [
        {"userId": str(friend.pk), "displayName": "Theo", "since": social["friends"][0]["since"]}
    ]
    assert [
        (r["direction"], r["otherUser"]["displayName"], r["status"])
        for r in social["friendRequests"]
    ] == [
        ("sent", "Theo", "accepted"),
        ("sent", "Sam", "pending"),
    ]
    assert [c["title"] for c in social["challengesJoined"]] == ["Lunch breaths"]
    assert social["challengesCreated"][0]["goal"] == {
        "metric": "sessions",
        "target": 5,
        "durationDays": 5,
    }
    assert "sam@elsewhere.test" not in str(social)
    assert "theo@example.com" not in str(social)


def test_the_export_names_the_pseudonym_the_boards_show_and_no_other(
    device_client, verified_user, django_capture_on_commit_callbacks
):
    from accounts.services import user_sync_enable
    from progression.selectors import user_today

    verified_user.leaderboard_global = "anonymous"
    verified_user.save(update_fields=["leaderboard_global"])
    user_sync_enable(user=verified_user)
    client = device_client(verified_user)

    def exported() -> dict:
        with django_capture_on_commit_callbacks(execute=True):
            export_id = client.post("/api/v1/me/export").json()["exportId"]
        return DataExport.objects.get(pk=export_id).document

    assert exported()["social"]["pseudonym"] is None  # on no board yet: no number given
    today = user_today(user=verified_user).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/api/v1/sync", {"days": [{"date": today, "xp": 40, "sessions": 2, "minutes": 6}]}
        )
        services.board_refresh_pending()
    board = client.get("/api/v1/leaderboards/global?period=week").json()
    [shown] = [
        entry["displayName"] for entry in board["entries"] if entry["rank"] == board["me"]["rank"]
    ]
    assert shown.startswith("Anonymous_")

    document = exported()
    assert document["social"]["pseudonym"] == shown
    assert "Anonymous_" not in str(document["profile"])
