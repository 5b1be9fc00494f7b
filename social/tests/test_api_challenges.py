from datetime import timedelta

import pytest
from django.utils import timezone

from social import services
from social.models import Challenge, Cheer, Report
from social.tests.conftest import day

pytestmark = pytest.mark.django_db

NEW = {
    "title": "Ten calm minutes",
    "description": "A little every day.",
    "type": "custom",
    "goal": {"metric": "totalMinutes", "target": 30, "durationDays": 7},
    "visibility": "public",
}


def create(user, **changes):
    return user.client.post("/api/v1/challenges", {**NEW, **changes}, format="json")


def global_challenge(**fields):
    values = {
        "created_by": None,
        "title": "Seven calm days",
        "type": "global",
        "goal_metric": "consistency",
        "goal_target": 2,
        "duration_days": 7,
        "starts_at": timezone.now() - timedelta(days=1),
        "reward_xp": 50,
    }
    return services.challenge_create(**{**values, **fields})


def test_a_user_creates_a_challenge_and_gets_the_contracts_object(member):
    maya = member("Maya")
    answer = create(maya)

    assert answer.status_code == 201
    body = answer.json()
    assert body["title"] == "Ten calm minutes" and body["type"] == "custom"
    assert body["goal"] == {"metric": "totalMinutes", "target": 30, "durationDays": 7}
    assert body["participants"] == {"total": 0, "completed": 0, "friends": 0}
    assert body["rewards"] == {"xp": 0, "badgeId": None}
    assert body["myProgress"] is None and body["visibility"] == "public"
    challenge = Challenge.objects.get()
    assert challenge.ends_at - challenge.starts_at == timedelta(days=7)


def test_the_free_plan_makes_five_a_month_then_limit_reached(member):
    maya = member("Maya")
    assert [create(maya).status_code for _ in range(5)] == [201] * 5

    sixth = create(maya)

    assert sixth.status_code == 403
    assert sixth.json()["code"] == "limit_reached"
    assert Challenge.objects.count() == 5


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"type": "global"}, "type"),
        ({"title": ""}, "title"),
        ({"goal": {"metric": "steps", "target": 3, "durationDays": 3}}, "goal"),
        ({"goal": {"metric": "streak", "target": 0, "durationDays": 3}}, "goal"),
        ({"visibility": "everyone"}, "visibility"),
        ({"startsAt": "soon"}, "startsAt"),
        ({"startsAt": "2020-01-01T00:00:00Z"}, "startsAt"),
        ({"reward": 500}, "reward"),
    ],
)
def test_bad_challenges_are_refused_and_nothing_is_stored(member, changes, field):
    answer = create(member("Maya"), **changes)
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"
    assert field in answer.json()["errors"]
    assert not Challenge.objects.exists()


def test_a_company_challenge_needs_a_work_email(member):
    gem = member("Gem", "gem@gmail.com")
    answer = create(gem, type="company")
    assert answer.status_code == 403
    assert answer.json()["code"] == "company_required"


def test_challenges_need_sync(member):
    newcomer = member("New", sync=False)
    challenge = global_challenge()
    for answer in (
        newcomer.client.get("/api/v1/challenges"),
        create(newcomer),
        newcomer.client.post(f"/api/v1/challenges/{challenge.pk}/join"),
    ):
        assert answer.status_code == 403
        assert answer.json()["code"] == "sync_not_enabled"


def test_progress_counts_synced_days_from_joining_to_the_end(member, sync_days):
    maya = member("Maya")
    challenge = global_challenge(goal_metric="totalMinutes", goal_target=30)
    sync_days(maya, {day(-1): (30, 1, 25)})  # before she joined: does not count

    joined = maya.client.post(f"/api/v1/challenges/{challenge.pk}/join")
    assert joined.status_code == 200
    sync_days(maya, {day(0): (40, 2, 12)})

    progress = maya.client.get(f"/api/v1/challenges/{challenge.pk}").json()["myProgress"]
    assert progress == {
        "current": 12,
        "target": 30,
        "percent": 40,
        "completed": False,
        "completedAt": None,
    }
    sync_days(maya, {day(0): (90, 4, 31)})
    done = maya.client.get(f"/api/v1/challenges/{challenge.pk}").json()
    assert done["myProgress"]["completed"] is True
    assert done["myProgress"]["completedAt"] is not None
    assert done["participants"] == {"total": 1, "completed": 1, "friends": 0}


@pytest.mark.parametrize(
    ("metric", "expected"),
    [("totalMinutes", 30), ("sessions", 3), ("streak", 2), ("consistency", 3)],
)
def test_each_metric_reads_the_days_as_the_contract_says(member, metric, expected):
    from social.selectors.challenges import measure

    days = [
        {"date": day(-4), "xp": 10, "sessions": 1, "minutes": 10},
        {"date": day(-3), "xp": 0, "sessions": 0, "minutes": 0},
        {"date": day(-2), "xp": 10, "sessions": 1, "minutes": 10},
        {"date": day(-1), "xp": 10, "sessions": 1, "minutes": 10},
    ]
    assert measure(metric, days) == expected


def test_joining_an_ended_challenge_is_challenge_ended(member):
    ended = global_challenge(starts_at=timezone.now() - timedelta(days=9))
    answer = member("Maya").client.post(f"/api/v1/challenges/{ended.pk}/join")
    assert answer.status_code == 400
    assert answer.json()["code"] == "challenge_ended"


def test_join_and_leave_and_the_list_filters(member):
    maya = member("Maya")
    running = global_challenge(title="Running")
    ended = global_challenge(title="Over", starts_at=timezone.now() - timedelta(days=9))
    maya.client.post(f"/api/v1/challenges/{running.pk}/join")

    def titles(**query):
        return [c["title"] for c in maya.client.get("/api/v1/challenges", query).json()["results"]]

    assert titles() == ["Running", "Over"]
    assert titles(status="active") == ["Running"]
    assert titles(status="ended") == ["Over"]
    assert titles(joined="true") == ["Running"]
    assert titles(type="custom") == []
    assert ended.pk
    left = maya.client.post(f"/api/v1/challenges/{running.pk}/leave")
    assert left.status_code == 200 and left.json()["myProgress"] is None
    assert titles(joined="true") == []
    assert maya.client.get("/api/v1/challenges", {"status": "soon"}).status_code == 400


def test_cheers_go_to_other_participants_ten_a_day(member):
    maya = member("Maya")
    theo = member("Theo", leaderboard_global="named")
    outsider = member("Out")
    challenge = global_challenge()
    for person in (maya, theo):
        person.client.post(f"/api/v1/challenges/{challenge.pk}/join")

    url = f"/api/v1/challenges/{challenge.pk}/cheer"
    answers = [maya.client.post(url, {"userId": str(theo.pk)}, format="json") for _ in range(11)]

    assert [a.status_code for a in answers[:10]] == [201] * 10
    assert answers[10].status_code == 400 and answers[10].json()["code"] == "cheer_limit"
    for target in (theo, outsider):
        refused = theo.client.post(url, {"userId": str(target.pk)}, format="json")
        assert refused.status_code == 400
        assert refused.json()["code"] == "not_a_participant"
    assert Cheer.objects.count() == 10


def test_the_challenge_board_ranks_participants_by_progress(member, sync_days):
    challenge = global_challenge(goal_metric="sessions", goal_target=4)
    people = {
        name: member(name, leaderboard_global=setting)
        for name, setting in (("Ana", "named"), ("Ben", "anonymous"), ("Cy", "hidden"))
    }
    for name, sessions in (("Ana", 3), ("Ben", 5), ("Cy", 1)):
        people[name].client.post(f"/api/v1/challenges/{challenge.pk}/join")
        sync_days(people[name], {day(0): (20, sessions, 10)})

    rows = people["Ana"].client.get(f"/api/v1/challenges/{challenge.pk}/leaderboard").json()

    assert rows["next"] is None
    assert [(r["rank"], r["current"], r["completed"]) for r in rows["results"]] == [
        (1, 5, True),
        (2, 3, False),
    ]
    ben, ana = rows["results"]
    assert ben["displayName"].startswith("Anonymous_") and ben["userId"] is None
    assert ana["displayName"] == "Ana" and ana["userId"] == str(people["Ana"].pk)


def test_a_report_lands_in_the_staff_queue_and_says_nothing_back(member):
    maya = member("Maya")
    challenge = global_challenge()
    answer = maya.client.post(
        f"/api/v1/challenges/{challenge.pk}/report", {"reason": "Rude title"}, format="json"
    )
    assert answer.status_code == 202
    report = Report.objects.get()
    assert (report.kind, report.challenge, report.reason) == ("challenge", challenge, "Rude title")
    empty = maya.client.post(f"/api/v1/challenges/{challenge.pk}/report", {}, format="json")
    assert empty.status_code == 400 and "reason" in empty.json()["errors"]
