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
