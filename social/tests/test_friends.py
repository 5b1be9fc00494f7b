import pytest
from django.db import IntegrityError

from breathmaster.api.errors import ApplicationError
from social import selectors, services
from social.models import FriendRequest, FriendRequestStatus, Friendship

pytestmark = pytest.mark.django_db


def send(from_user, to_user):
    return services.friend_request_send(from_user=from_user, friend_code=to_user.friend_code)


def refusal(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call()
    return caught.value


def test_friend_requests_are_closed_by_default_and_refused(verified_user, friend):
    error = refusal(lambda: send(verified_user, friend))
    assert (error.code, error.status_code) == ("invalid_friend_code", 400)
    assert not FriendRequest.objects.exists()


def test_an_accepted_request_makes_both_people_friends(verified_user, friend, open_to_requests):
    open_to_requests(friend)
    request = send(verified_user, friend)
    assert request.status == FriendRequestStatus.PENDING
    assert list(selectors.friends_of(user=verified_user)) == []

    accepted = services.friend_request_accept(request=request, by=friend)

    assert accepted.status == FriendRequestStatus.ACCEPTED
    assert accepted.responded_at is not None
    assert list(selectors.friends_of(user=verified_user)) == [friend]
    assert list(selectors.friends_of(user=friend)) == [verified_user]


def test_only_the_recipient_can_answer_a_request(verified_user, friend, stranger, open_to_requests):
    open_to_requests(friend)
    request = send(verified_user, friend)
    for someone in (verified_user, stranger):
        error = refusal(
            lambda someone=someone: services.friend_request_accept(request=request, by=someone)
        )
        assert (error.code, error.status_code) == ("not_found", 404)
    assert not Friendship.objects.exists()


def test_a_declined_request_makes_no_friends_and_cannot_be_accepted_later(
    verified_user, friend, open_to_requests
):
    open_to_requests(friend)
    request = send(verified_user, friend)
    services.friend_request_decline(request=request, by=friend)
    services.friend_request_decline(request=request, by=friend)

    error = refusal(lambda: services.friend_request_accept(request=request, by=friend))
    assert error.code == "friend_request_answered"
    assert list(selectors.friends_of(user=friend)) == []


def test_nobody_can_befriend_themselves(verified_user, open_to_requests):
    open_to_requests(verified_user)
    assert refusal(lambda: send(verified_user, verified_user)).code == "invalid_friend_code"
    with pytest.raises(IntegrityError):
        FriendRequest.objects.create(from_user=verified_user, to_user=verified_user)


def test_an_unknown_friend_code_finds_no_one(verified_user):
    error = refusal(
        lambda: services.friend_request_send(from_user=verified_user, friend_code="nope")
    )
    assert (error.code, error.status_code) == ("invalid_friend_code", 400)


def test_a_second_request_while_one_waits_is_refused(verified_user, friend, open_to_requests):
    open_to_requests(friend)
    send(verified_user, friend)
    assert refusal(lambda: send(verified_user, friend)).code == "friend_request_pending"
    assert FriendRequest.objects.count() == 1


def test_the_database_keeps_one_waiting_request_per_pair_in_either_direction(verified_user, friend):
    FriendRequest.objects.create(from_user=verified_user, to_user=friend)
    with pytest.raises(IntegrityError):
        FriendRequest.objects.create(from_user=friend, to_user=verified_user)


def test_asking_someone_who_already_asked_you_accepts_their_request(
    verified_user, friend, open_to_requests
):
    open_to_requests(verified_user)
    theirs = send(friend, verified_user)
    # Her own requests stay closed; answering his question needs no opening.
    answered = send(verified_user, friend)
    assert answered.pk == theirs.pk
    assert answered.status == FriendRequestStatus.ACCEPTED
    assert selectors.are_friends(user=friend, other=verified_user)


def test_friends_cannot_ask_again(verified_user, friend, open_to_requests):
    open_to_requests(friend)
    services.friend_request_accept(request=send(verified_user, friend), by=friend)
    assert refusal(lambda: send(verified_user, friend)).code == "already_friends"


def test_either_friend_can_end_the_friendship(verified_user, friend, open_to_requests):
    open_to_requests(friend)
    services.friend_request_accept(request=send(verified_user, friend), by=friend)

    services.friendship_end(user=friend, friend=verified_user)

    assert not Friendship.objects.exists()
    error = refusal(lambda: services.friendship_end(user=verified_user, friend=friend))
    assert (error.code, error.status_code) == ("not_found", 404)


def test_friends_can_ask_again_after_ending_it(verified_user, friend, open_to_requests):
    open_to_requests(friend)
    services.friend_request_accept(request=send(verified_user, friend), by=friend)
    services.friendship_end(user=verified_user, friend=friend)
    assert send(verified_user, friend).status == FriendRequestStatus.PENDING


def test_an_erased_account_takes_its_friendships_and_requests_along(
    verified_user, friend, stranger, open_to_requests
):
    open_to_requests(friend)
    services.friend_request_accept(request=send(verified_user, friend), by=friend)
    open_to_requests(stranger)
    send(verified_user, stranger)

    verified_user.delete()

    assert not Friendship.objects.exists()
    assert not FriendRequest.objects.exists()
    assert list(selectors.friends_of(user=friend)) == []
