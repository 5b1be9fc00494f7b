import pytest
from django.core.management import call_command

from accounts.models import User
from social import selectors
from social.models import Challenge, ChallengeParticipation, FriendRequest, Friendship

pytestmark = pytest.mark.django_db


def counts():
    return [
        model.objects.count()
        for model in (FriendRequest, Friendship, Challenge, ChallengeParticipation)
    ]


def test_without_the_demo_users_the_social_demo_does_nothing(capsys):
    call_command("load_social_demo")
    assert counts() == [0, 0, 0, 0]
    assert "load_demo" in capsys.readouterr().out


def test_the_social_demo_loads_once_however_often_it_runs():
    call_command("load_demo")
    call_command("load_social_demo")
    first = counts()
    call_command("load_social_demo")

    assert counts() == first == [2, 2, 1, 2]
    maya, theo, ana = (
        User.objects.get(email=f"{name}@example.com") for name in ("maya", "theo", "ana")
    )
    assert list(selectors.friends_of(user=maya)) == [theo]
    assert [r.from_user for r in selectors.friend_requests_received(user=maya)] == [ana]
    challenge = Challenge.objects.get()
    assert (challenge.title, challenge.goal_metric, challenge.goal_target) == (
        "Seven calm days",
        "streak",
        7,
    )
    assert {p.user for p in challenge.participations.all()} == {maya, theo}
