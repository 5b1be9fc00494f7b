"""Every board, challenge and friend endpoint and page, seen by self, a friend, a colleague, a
stranger and an anonymous account, for each way the subject may have set their privacy.

The subject has a name, id, XP and minutes found nowhere else, so "nothing of them appears"
is a plain search of every answer. Each case first proves the viewer who may see the subject
does see them, so a search that finds nothing cannot pass by accident.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.services import user_deletion_schedule
from social import services
from social.models import ChallengeParticipation, Pseudonym
from social.tests.conftest import day

pytestmark = pytest.mark.django_db

NAME, XP, MINUTES = "Zebulonia", 137, 23
OPEN = {
    "leaderboard_global": "named",
    "leaderboard_friends": True,
    "leaderboard_company": True,
    "share_streaks": True,
    "share_progress": True,
}
SETTINGS = {
    "closed": {},
    "anonymous": {**OPEN, "leaderboard_global": "anonymous"},
    "named": OPEN,
    "friends_only": {"leaderboard_friends": True},
    "company_only": {"leaderboard_company": True},
    "banned": OPEN,
    "deleted": OPEN,
}
VIEWERS = ("self", "friend", "colleague", "stranger", "anonymous")


def expected(setting: str, viewer: str) -> dict[str, bool]:
    """Where the subject's name (or pseudonym) may show for this viewer."""
    chosen = SETTINGS[setting]
    if setting in ("banned", "deleted"):
        return {"global": False, "friends": False, "company": False, "challenge": False}
    on_global = chosen.get("leaderboard_global", "hidden") != "hidden"
    on_friends = viewer == "self" or (viewer == "friend" and chosen.get("leaderboard_friends"))
    on_company = viewer in ("self", "colleague") and bool(chosen.get("leaderboard_company"))
    challenge = viewer == "self" or on_global or bool(on_friends)
    return {"global": on_global, "friends": bool(on_friends), "company": on_company,
            "challenge": challenge}  # fmt: skip


@pytest.fixture
def cast(member, befriend, sync_days):
    def make(setting: str):
        subject = member(NAME, "zeb@calmcorp.example", **SETTINGS[setting])
        people = {
            "self": subject,
            "friend": member("Friendly", "fr@friendly.example", leaderboard_friends=True),
            "colleague": member("Colleague", "co@calmcorp.example", leaderboard_company=True),
            "stranger": member("Stranger", "st@elsewhere.example", leaderboard_global="named"),
            "anonymous": member("Anon", None, leaderboard_global="anonymous"),
        }
        befriend(people["friend"], subject)
        challenge = services.challenge_create(
            created_by=None, title="Calm week", type="global", goal_metric="totalMinutes",
            goal_target=500, duration_days=7, starts_at=timezone.now() - timedelta(hours=1),
        )  # fmt: skip
        for person in people.values():
            ChallengeParticipation.objects.create(challenge=challenge, user=person)
            if person is not subject:
                sync_days(person, {day(0): (40, 1, 10)})
        sync_days(subject, {day(0): (XP, 2, MINUTES)})
        return subject, people, challenge

    return make


def traces(subject) -> list[str]:
    found = [NAME, str(subject.pk), subject.friend_code, f'"xp": {XP}', f'"xp":{XP}']
    found += [f"<td>{XP}</td>", f'"current": {MINUTES}', f'"current":{MINUTES}']
    pseudonym = Pseudonym.objects.filter(user=subject).first()
    return [*found, pseudonym.label] if pseudonym else found


def seen(text: str, subject) -> bool:
    return any(trace in text for trace in traces(subject))


def api_answers(viewer, challenge) -> dict[str, str]:
    answers = {}
    for scope in ("global", "friends", "company"):
        for period in ("day", "all"):
            response = viewer.client.get(f"/api/v1/leaderboards/{scope}", {"period": period})
            answers[f"{scope}:{period}"] = response.content.decode()
    answers["challenge"] = viewer.client.get(
        f"/api/v1/challenges/{challenge.pk}/leaderboard"
    ).content.decode()
    return answers


def page_answers(viewer, challenge) -> dict[str, str]:
    browser = Client()
    browser.force_login(viewer)
    answers = {
        f"page-{scope}": browser.get("/leaderboards/", {"scope": scope, "period": "day"})
        .content.decode()
        .replace(viewer.display_name or "\0", "")
        for scope in ("global", "friends", "company")
    }
    answers["page-challenge"] = browser.get(f"/challenges/{challenge.pk}/").content.decode()
    return answers


@pytest.mark.parametrize("setting", list(SETTINGS))
def test_each_viewer_sees_exactly_what_the_subjects_settings_allow(
    setting, cast, staff, django_capture_on_commit_callbacks
):
    subject, people, challenge = cast(setting)
    with django_capture_on_commit_callbacks(execute=True):
        if setting == "banned":
            services.board_ban(user=subject, staff=staff)
        if setting == "deleted":
            user_deletion_schedule(user=subject)

    shown_somewhere = False
    for viewer_name in VIEWERS:
        if viewer_name == "self" and setting == "deleted":
            continue  # a deleted account has no token left to ask with
        viewer = people[viewer_name]
        rules = expected(setting, viewer_name)
        answers = api_answers(viewer, challenge)
        for key, text in answers.items():
            scope = key.split(":")[0]
            if viewer_name == "self":
                continue  # checked below: one's own place is always one's own
            assert seen(text, subject) == rules[scope], (setting, viewer_name, key)
            shown_somewhere |= rules[scope]
        if viewer_name != "self":
            for key, text in page_answers(viewer, challenge).items():
                scope = key.removeprefix("page-")
                assert seen(text, subject) == rules[scope], (setting, viewer_name, key)
    if setting not in ("closed", "banned", "deleted", "company_only", "friends_only"):
        assert shown_somewhere


@pytest.mark.parametrize("setting", ["closed", "anonymous", "named", "banned"])
def test_the_subject_always_sees_their_own_place(setting, cast, staff):
    subject, _people, _challenge = cast(setting)
    if setting == "banned":
        services.board_ban(user=subject, staff=staff)
    for scope in ("global", "friends", "company"):
        me = subject.client.get(f"/api/v1/leaderboards/{scope}", {"period": "day"}).json()["me"]
        assert me["xp"] == XP and me["rank"] == 1


def test_friends_list_shows_level_and_streak_only_as_shared(cast):
    subject, people, _challenge = cast("closed")
    listed = people["friend"].client.get("/api/v1/friends").json()["results"]
    assert [(f["displayName"], f["level"], f["streak"]) for f in listed] == [(NAME, None, None)]
    for outsider in ("colleague", "stranger", "anonymous"):
        assert NAME not in people[outsider].client.get("/api/v1/friends").content.decode()


def test_a_deleted_friend_leaves_every_list(cast, django_capture_on_commit_callbacks):
    subject, people, challenge = cast("named")
    assert NAME in people["friend"].client.get("/api/v1/friends").content.decode()
    before = people["friend"].client.get(f"/api/v1/challenges/{challenge.pk}").json()
    # The friend, the stranger (named), the anonymous account and the subject; the colleague
    # shows only on the company board.
    assert before["participants"]["total"] == 4
    with django_capture_on_commit_callbacks(execute=True):
        user_deletion_schedule(user=subject)
    for viewer in people.values():
        if viewer is subject:
            continue
        for path in ("/api/v1/friends", f"/api/v1/challenges/{challenge.pk}"):
            assert not seen(viewer.client.get(path).content.decode(), subject)
    total = people["friend"].client.get(f"/api/v1/challenges/{challenge.pk}").json()
    assert total["participants"]["total"] == 3
