"""The in-app feed, fed by events: `GET /api/v1/notifications`, read, read-all, with a real
device token; level-ups from progression's sync, friends' news from social's events, each only
where preferences allow."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification, Reminder
from notifications.services import preference_update
from notifications.tests.helpers import practised
from progression.selectors import user_today
from social import events as social_events

pytestmark = pytest.mark.django_db

FEED = "/api/v1/notifications"


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what receivers queue on commit (tasks run in-process in these tests)."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            action()

    return run


def test_a_level_reached_in_a_sync_appears_in_the_feed(device_client, verified_user, run_on_commit):
    today = user_today(user=verified_user)
    run_on_commit(lambda: practised(verified_user, {today - timedelta(days=1): 40}))
    body = device_client(verified_user).get(FEED).json()
    assert body["unread"] == 1
    assert body["next"] is None
    [item] = body["results"]
    assert set(item) == {"id", "kind", "title", "body", "createdAt", "readAt"}
    assert item["kind"] == "level_up"
    assert item["title"] == "Level 2: Breathing Novice"
    assert item["readAt"] is None
    # Email is off by default: no email row was made for the level.
    assert not Reminder.objects.exists()


def test_a_level_up_is_emailed_only_when_the_user_wants_it(verified_user, run_on_commit):
    preference_update(user=verified_user, changes={"email": {"enabled": True}})
    today = user_today(user=verified_user)
    run_on_commit(lambda: practised(verified_user, {today - timedelta(days=1): 40}))
    row = Reminder.objects.get(user=verified_user)
    assert (row.kind, row.event_key, row.status) == ("level_up", "level-up:2", "sent")


def test_the_feed_is_newest_first_paginated_and_marks_read(device_client, verified_user, friend):
    for n in range(5):
        item = Notification.objects.create(
            user=verified_user, kind="level_up", key=f"k{n}", title=f"T{n}", body="b"
        )
        Notification.objects.filter(pk=item.pk).update(
            created_at=timezone.now() - timedelta(minutes=10 - n)
        )
    theirs = Notification.objects.create(user=friend, kind="level_up", key="k", title="F", body="")
    client = device_client(verified_user)

    first = client.get(FEED, {"pageSize": 2}).json()
    assert [i["title"] for i in first["results"]] == ["T4", "T3"]
    assert first["unread"] == 5
    second = client.get(FEED, {"pageSize": 2, "cursor": first["next"]}).json()
    assert [i["title"] for i in second["results"]] == ["T2", "T1"]

    newest = first["results"][0]["id"]
    read = client.post(f"{FEED}/{newest}/read")
    assert read.status_code == 200
    assert read.json()["readAt"] is not None
    again = client.post(f"{FEED}/{newest}/read").json()
    assert again["readAt"] == read.json()["readAt"]  # the first read is kept
    assert client.get(FEED).json()["unread"] == 4

    assert client.post(f"{FEED}/{theirs.pk}/read").status_code == 404  # never someone else's
    assert client.post(f"{FEED}/00000000-0000-0000-0000-000000000000/read").status_code == 404

    answer = client.post(f"{FEED}/read-all").json()
    assert answer == {"marked": 4, "unread": 0}
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_feed_needs_a_token(api):
    assert api.get(FEED).status_code == 401
    assert api.post(f"{FEED}/read-all").status_code == 401


def _friend_levels(user, friend_ids):
    social_events.friend_level_reached.send_robust(
        sender=None,
        user_id=user.pk,
        display_name="Maya",
        level=6,
        title="Breathing Sage",
        friend_ids=friend_ids,
    )


def test_friends_news_reaches_only_the_friends_social_named(
    verified_user, friend, stranger, run_on_commit
):
    run_on_commit(lambda: _friend_levels(verified_user, [friend.pk]))
    [item] = Notification.objects.filter(user=friend)
    assert item.title == "Maya reached level 6"
    assert not Notification.objects.filter(user=stranger).exists()
    # Friend-activity email is off by default.
    assert not Reminder.objects.filter(user=friend).exists()
    # The same event again is one item.
    run_on_commit(lambda: _friend_levels(verified_user, [friend.pk]))
    assert Notification.objects.filter(user=friend).count() == 1


def test_friends_news_follows_each_friends_preferences(verified_user, friend, run_on_commit):
    preference_update(
        user=friend,
        changes={
            "email": {"enabled": True, "types": {"friendActivity": True}},
            "inApp": {"friendActivity": False},
        },
    )
    run_on_commit(lambda: _friend_levels(verified_user, [friend.pk]))
    assert not Notification.objects.filter(user=friend).exists()
    row = Reminder.objects.get(user=friend)
    assert (row.kind, row.status) == ("friend_activity", "sent")


def test_a_completed_challenge_and_a_cheer_reach_the_feed(verified_user, friend, run_on_commit):
    import uuid

    challenge_id = uuid.uuid4()
    run_on_commit(
        lambda: social_events.friend_challenge_completed.send_robust(
            sender=None,
            user_id=verified_user.pk,
            display_name="Maya",
            challenge_id=challenge_id,
            challenge_title="Calm November",
            friend_ids=[friend.pk],
        )
    )
    run_on_commit(
        lambda: social_events.cheer_sent.send_robust(
            sender=None,
            from_user_id=friend.pk,
            to_user_id=verified_user.pk,
            challenge_id=challenge_id,
            challenge_title="Calm November",
        )
    )
    assert Notification.objects.get(user=friend).title == "Maya completed a challenge"
    cheer = Notification.objects.get(user=verified_user)
    assert cheer.title == "A cheer for you"
    assert "Calm November" in cheer.body
