import pytest

from social.models import Block, FriendRequest, Friendship

pytestmark = pytest.mark.django_db


def ask(client, code):
    return client.post("/api/v1/friends/requests", {"friendCode": code}, format="json")


def test_a_request_by_code_then_accepted_makes_friends_both_ways(member):
    maya, theo = member("Maya"), member("Theo", allow_friend_requests=True)

    sent = ask(maya.client, theo.friend_code)
    assert sent.status_code == 201
    assert sent.json()["status"] == "pending"
    waiting = theo.client.get("/api/v1/friends/requests").json()
    assert [r["displayName"] for r in waiting["incoming"]] == ["Maya"]
    assert (
        maya.client.get("/api/v1/friends/requests").json()["outgoing"][0]["id"]
        == (sent.json()["id"])
    )

    accepted = theo.client.post(f"/api/v1/friends/requests/{sent.json()['id']}/accept")

    assert accepted.status_code == 200
    assert accepted.json() == {"id": sent.json()["id"], "status": "accepted"}
    friends = maya.client.get("/api/v1/friends").json()
    assert friends["next"] is None
    assert [(f["userId"], f["displayName"]) for f in friends["results"]] == [(str(theo.pk), "Theo")]
    assert theo.client.get("/api/v1/friends").json()["results"][0]["userId"] == str(maya.pk)


def test_asking_someone_who_asked_you_accepts_both_at_once(member):
    maya = member("Maya", allow_friend_requests=True)
    theo = member("Theo")  # his own requests stay closed: answering needs no opening
    ask(theo.client, maya.friend_code)

    answer = ask(maya.client, theo.friend_code)

    assert answer.status_code == 201
    assert answer.json()["status"] == "accepted"
    assert Friendship.objects.count() == 2


def test_level_and_streak_show_only_where_the_friend_shares_them(member, befriend, sync_days):
    from social.tests.conftest import day

    maya = member("Maya")
    theo = member("Theo", share_progress=True)
    ana = member("Ana", share_streaks=True)
    befriend(maya, theo)
    befriend(maya, ana)
    sync_days(ana, {day(-1): 50, day(0): 40})

    friends = {f["displayName"]: f for f in maya.client.get("/api/v1/friends").json()["results"]}

    assert friends["Theo"]["level"] == 1 and friends["Theo"]["streak"] is None
    assert friends["Ana"]["level"] is None and friends["Ana"]["streak"] == 2


def test_every_unusable_code_gets_one_and_the_same_answer(member):
    maya = member("Maya")
    closed = member("Closed")
    blocker = member("Blocker", allow_friend_requests=True)
    Block.objects.create(blocker=blocker, blocked=maya)

    answers = [
        ask(maya.client, code)
        for code in ("no-such-code", maya.friend_code, closed.friend_code, blocker.friend_code)
    ]

    assert {a.status_code for a in answers} == {400}
    assert len({a.content for a in answers}) == 1
    assert answers[0].json()["code"] == "invalid_friend_code"
    assert not FriendRequest.objects.exists()


def test_decline_answers_once_and_makes_no_friends(member):
    maya, theo = member("Maya"), member("Theo", allow_friend_requests=True)
    request_id = ask(maya.client, theo.friend_code).json()["id"]

    declined = theo.client.post(f"/api/v1/friends/requests/{request_id}/decline")

    assert declined.json()["status"] == "declined"
    # Only the recipient can answer; to anyone else the request is not there.
    assert maya.client.post(f"/api/v1/friends/requests/{request_id}/accept").status_code == 404
    assert theo.client.get("/api/v1/friends").json()["results"] == []


def test_removing_a_friend_ends_it_for_both(member, befriend):
    maya, theo = member("Maya"), member("Theo")
    befriend(maya, theo)

    assert maya.client.delete(f"/api/v1/friends/{theo.pk}").status_code == 204

    assert theo.client.get("/api/v1/friends").json()["results"] == []
    assert maya.client.delete(f"/api/v1/friends/{theo.pk}").json()["code"] == "not_found"


def test_blocking_ends_the_friendship_and_silently_refuses_their_requests(member, befriend):
    maya = member("Maya", allow_friend_requests=True)
    theo = member("Theo")
    befriend(theo, maya)

    assert maya.client.post(f"/api/v1/friends/{theo.pk}/block").status_code == 204

    assert not Friendship.objects.exists()
    again = ask(theo.client, maya.friend_code)
    assert again.status_code == 400
    assert again.json()["code"] == "invalid_friend_code"
    assert theo.client.get("/api/v1/friends/requests").json() == {"incoming": [], "outgoing": []}


def test_a_stranger_cannot_be_blocked_by_guessing_an_id(member):
    maya, stranger = member("Maya"), member("Sam")
    answer = maya.client.post(f"/api/v1/friends/{stranger.pk}/block")
    assert answer.status_code == 404
    assert not Block.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "friendCode"), ({"friendCode": ""}, "friendCode"), ({"code": "x"}, "code")],
)
def test_a_malformed_request_is_a_400_in_the_contracts_shape(member, body, field):
    answer = member("Maya").client.post("/api/v1/friends/requests", body, format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"
    assert field in answer.json()["errors"]


def test_friends_need_a_token(api):
    assert api.get("/api/v1/friends").status_code == 401


def test_guessing_friend_codes_is_throttled_per_account(member):
    maya = member("Maya")
    answers = [ask(maya.client, f"guess-{n}").status_code for n in range(31)]
    assert answers[:30] == [400] * 30
    assert answers[30] == 429
