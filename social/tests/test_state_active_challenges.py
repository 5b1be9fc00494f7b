"""`activeChallenges` in `/sync/state` and the `/sync` answer: the challenges the user joined."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from social.models import Challenge, Report
from social.tests.conftest import day
from social.tests.test_api_challenges import global_challenge

pytestmark = pytest.mark.django_db


def state(user) -> tuple[list[dict], str]:
    answer = user.client.get("/api/v1/sync/state")
    assert answer.status_code == 200
    return answer.json()["state"]["activeChallenges"], answer["ETag"]


def titles(active: list[dict]) -> list[str]:
    return [challenge["title"] for challenge in active]


def test_a_joined_challenge_shows_in_the_state_and_the_sync_answer(member, sync_days):
    maya = member("Maya")
    challenge = global_challenge(title="Seven calm days", reward_badge_id="calm-week")
    global_challenge(title="Not joined")
    before, etag_before = state(maya)
    assert before == []

    assert maya.client.post(f"/api/v1/challenges/{challenge.pk}/join").status_code == 200

    active, etag = state(maya)
    assert etag != etag_before
    (shown,) = active
    assert shown == {
        "id": str(challenge.pk),
        "title": "Seven calm days",
        "description": "",
        "type": "global",
        "goal": {"metric": "consistency", "target": 2, "durationDays": 7},
        "startsAt": shown["startsAt"],
        "endsAt": shown["endsAt"],
        "rewards": {"xp": 50, "badgeId": "calm-week"},
        "visibility": "public",
        "joinedAt": shown["joinedAt"],
    }
    assert datetime.fromisoformat(shown["endsAt"]) == challenge.ends_at
    assert datetime.fromisoformat(shown["startsAt"]) == challenge.starts_at
    assert datetime.fromisoformat(shown["joinedAt"]).tzinfo is not None
    assert titles(sync_days(maya, {day(0): 10})["state"]["activeChallenges"]) == ["Seven calm days"]
    cached = maya.client.get("/api/v1/sync/state", HTTP_IF_NONE_MATCH=state(maya)[1])
    assert cached.status_code == 304


def test_only_my_own_running_joined_visible_challenges_soonest_ending_first(member):
    maya, ben = member("Maya"), member("Ben")
    later = global_challenge(title="Later", duration_days=30)
    sooner = global_challenge(title="Sooner", duration_days=3)
    bens = global_challenge(title="Ben's only")
    for challenge in (later, sooner):
        maya.client.post(f"/api/v1/challenges/{challenge.pk}/join")
    ben.client.post(f"/api/v1/challenges/{bens.pk}/join")

    assert titles(state(maya)[0]) == ["Sooner", "Later"]
    assert titles(state(ben)[0]) == ["Ben's only"]


def test_leaving_ending_or_hiding_a_challenge_takes_it_out_and_changes_the_etag(member, staff):
    maya = member("Maya")
    left, ended, hidden, kept = (global_challenge(title=t) for t in ("L", "E", "H", "K"))
    for challenge in (left, ended, hidden, kept):
        maya.client.post(f"/api/v1/challenges/{challenge.pk}/join")
    assert titles(state(maya)[0]) == ["L", "E", "H", "K"]
    etags = [state(maya)[1]]

    assert maya.client.post(f"/api/v1/challenges/{left.pk}/leave").status_code == 200
    etags.append(state(maya)[1])
    # Time passes: the challenge's days are behind us now.
    now = timezone.now()
    Challenge.objects.filter(pk=ended.pk).update(
        starts_at=now - timedelta(days=8), ends_at=now - timedelta(seconds=1)
    )
    etags.append(state(maya)[1])
    _staff_hide(staff, maya, hidden)

    active, etag = state(maya)
    assert titles(active) == ["K"]
    assert len({*etags, etag}) == 4


def _staff_hide(staff, reporter, challenge) -> None:
    reporter.client.post(
        f"/api/v1/challenges/{challenge.pk}/report", {"reason": "Unkind"}, format="json"
    )
    admin = Client()
    admin.force_login(staff)
    report = Report.objects.get(challenge=challenge)
    admin.post(
        "/admin/social/report/",
        {"action": "hide_challenge", "_selected_action": [str(report.pk)]},
        follow=True,
    )
    assert Challenge.objects.get(pk=challenge.pk).hidden_at is not None


@pytest.mark.parametrize("joined", [0, 4])
def test_the_challenges_cost_no_statement_of_their_own_however_many(member, joined):
    maya = member("Maya")
    for n in range(joined):
        challenge = global_challenge(title=f"C{n}")
        maya.client.post(f"/api/v1/challenges/{challenge.pk}/join")

    with CaptureQueriesContext(connection) as get_queries:
        active, _etag = state(maya)
    with CaptureQueriesContext(connection) as sync_queries:
        answer = maya.client.post("/api/v1/sync", {"days": []}, format="json")

    assert len(active) == joined == len(answer.json()["state"]["activeChallenges"])
    for queries in (get_queries, sync_queries):
        reading = [q["sql"] for q in queries if "social_challengeparticipation" in q["sql"]]
        # Folded into the state's one statement, which reads the user's days too.
        assert len(reading) == 1 and "progression_deviceday" in reading[0]
