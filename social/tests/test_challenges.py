from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from breathmaster.api.errors import ApplicationError
from social import selectors, services
from social.models import Challenge, ChallengeParticipation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def synced(verified_user, friend, stranger):
    """Challenges are for accounts with sync turned on."""
    from accounts.services import user_sync_enable

    for user in (verified_user, friend, stranger):
        user_sync_enable(user=user)


def challenge_for(created_by, **fields):
    values = {
        "title": "Seven calm days",
        "type": "global",
        "goal_metric": "streak",
        "goal_target": 7,
        "duration_days": 7,
        "starts_at": timezone.now(),
        "reward_xp": 50,
        "visibility": "public",
    }
    return services.challenge_create(created_by=created_by, **{**values, **fields})


def test_a_challenge_ends_its_duration_after_it_starts(verified_user):
    start = timezone.now()
    challenge = challenge_for(verified_user, starts_at=start, duration_days=30)
    assert challenge.ends_at == start + timedelta(days=30)
    assert challenge.goal_metric == "streak"


@pytest.mark.parametrize(
    "fields",
    [{"goal_target": 0}, {"duration_days": 0}, {"title": "  "}],
    ids=["no target", "no days", "no title"],
)
def test_the_service_refuses_an_empty_goal(verified_user, fields):
    with pytest.raises(ApplicationError) as caught:
        challenge_for(verified_user, **fields)
    assert caught.value.code == "invalid"
    assert not Challenge.objects.exists()


@pytest.mark.parametrize(
    ("fields", "ends_after_days"),
    [({"goal_target": 0}, 3), ({"duration_days": 0}, 3), ({}, -1), ({}, 0)],
    ids=["no target", "no days", "ends before it starts", "ends as it starts"],
)
def test_the_database_refuses_a_challenge_that_cannot_be_met(fields, ends_after_days):
    start = timezone.now()
    row = {
        "title": "Broken",
        "type": "custom",
        "goal_metric": "sessions",
        "goal_target": 3,
        "duration_days": 3,
        "starts_at": start,
        "ends_at": start + timedelta(days=ends_after_days),
    }
    with pytest.raises(IntegrityError):
        Challenge.objects.create(**{**row, **fields})


def test_joining_twice_changes_nothing(verified_user, friend):
    challenge = challenge_for(None)
    first = services.challenge_join(challenge=challenge, user=friend)
    again = services.challenge_join(challenge=challenge, user=friend)
    assert again.pk == first.pk
    assert again.joined_at == first.joined_at
    assert ChallengeParticipation.objects.filter(challenge=challenge).count() == 1


def test_leaving_and_joining_again_starts_afresh(friend):
    challenge = challenge_for(None)
    first = services.challenge_join(challenge=challenge, user=friend)
    services.challenge_leave(challenge=challenge, user=friend)
    services.challenge_leave(challenge=challenge, user=friend)
    left = selectors.challenge_participation(challenge=challenge, user=friend)
    assert left.left_at is not None

    back = services.challenge_join(challenge=challenge, user=friend)

    assert back.pk == first.pk
    assert back.is_active
    assert back.joined_at > first.joined_at


def test_a_challenge_that_has_ended_cannot_be_joined(friend):
    challenge = challenge_for(None, starts_at=timezone.now() - timedelta(days=8))
    with pytest.raises(ApplicationError) as caught:
        services.challenge_join(challenge=challenge, user=friend)
    assert caught.value.code == "challenge_ended"


def test_private_and_friends_challenges_stay_hidden_from_strangers(
    verified_user, friend, stranger, open_to_requests
):
    open_to_requests(friend)
    request = services.friend_request_send(from_user=verified_user, friend_code=friend.friend_code)
    services.friend_request_accept(request=request, by=friend)
    among_friends = challenge_for(verified_user, visibility="friends", type="friends")
    private = challenge_for(verified_user, visibility="private", type="custom")

    assert services.challenge_join(challenge=among_friends, user=friend).is_active
    for challenge in (among_friends, private):
        with pytest.raises(ApplicationError) as caught:
            services.challenge_join(challenge=challenge, user=stranger)
        assert caught.value.status_code == 404
    with pytest.raises(ApplicationError):
        services.challenge_join(challenge=private, user=friend)
    assert set(selectors.challenges_visible_to(user=stranger)) == set()
    assert set(selectors.challenges_visible_to(user=friend)) == {among_friends}


def test_a_challenge_outlives_its_creators_account(verified_user, friend):
    challenge = challenge_for(verified_user)
    services.challenge_join(challenge=challenge, user=verified_user)
    services.challenge_join(challenge=challenge, user=friend)

    verified_user.delete()

    challenge.refresh_from_db()
    assert challenge.created_by is None
    assert [p.user for p in challenge.participations.all()] == [friend]
