"""Friend requests, friendships and blocks."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework import status

from accounts import selectors as accounts_selectors
from accounts.models import User
from breathmaster.api.errors import ApplicationError
from social.models import Block, FriendRequest, FriendRequestStatus, Friendship
from social.selectors import friends as selectors


def _not_found(detail: str) -> ApplicationError:
    return ApplicationError(detail, code="not_found", status_code=status.HTTP_404_NOT_FOUND)


def invalid_friend_code() -> ApplicationError:
    return ApplicationError(
        "That friend code cannot be used. Please check it with your friend.",
        code="invalid_friend_code",
        errors={"friendCode": ["This code cannot be used."]},
    )


@transaction.atomic
def friend_request_send(*, from_user: User, friend_code: str) -> FriendRequest:
    """Ask the owner of `friend_code` to be friends.

    When they had already asked us, that question is answered yes instead: both want it.
    """
    to_user = accounts_selectors.user_by_friend_code(friend_code=friend_code)
    # Unknown, one's own, blocked either way, closed to requests: one answer for all, so a
    # code tells nobody who exists, who blocked them or who keeps requests closed.
    if (
        to_user is None
        or to_user.pk == from_user.pk
        or selectors.is_blocked_between(user=from_user, other=to_user)
    ):
        raise invalid_friend_code()
    if selectors.are_friends(user=from_user, other=to_user):
        raise ApplicationError("You are already friends.", code="already_friends")
    reverse = FriendRequest.objects.filter(
        from_user=to_user, to_user=from_user, status=FriendRequestStatus.PENDING
    ).first()
    if reverse is not None:
        return friend_request_accept(request=reverse, by=from_user)
    if not to_user.allow_friend_requests:
        raise invalid_friend_code()
    return _friend_request_create(from_user=from_user, to_user=to_user)


def _friend_request_create(*, from_user: User, to_user: User) -> FriendRequest:
    try:
        # A savepoint: a concurrent identical request must not break the caller's transaction.
        with transaction.atomic():
            return FriendRequest.objects.create(from_user=from_user, to_user=to_user)
    except IntegrityError:
        raise ApplicationError(
            "A friend request between you two is already waiting for an answer.",
            code="friend_request_pending",
        ) from None


def _friend_request_answer(*, request: FriendRequest, by: User) -> FriendRequest:
    """The request, locked, when `by` is its recipient; anyone else finds nothing there."""
    request = (
        FriendRequest.objects.select_for_update()
        .filter(pk=request.pk, to_user=by)
        .select_related("from_user", "to_user")
        .first()
    )
    if request is None:
        raise _not_found("That friend request is no longer there.")
    return request


@transaction.atomic
def friend_request_accept(*, request: FriendRequest, by: User) -> FriendRequest:
    request = _friend_request_answer(request=request, by=by)
    if request.status == FriendRequestStatus.ACCEPTED:
        return request
    if not request.is_pending:
        raise ApplicationError(
            "That friend request was already declined.", code="friend_request_answered"
        )
    request.status = FriendRequestStatus.ACCEPTED
    request.responded_at = timezone.now()
    request.save(update_fields=["status", "responded_at"])
    Friendship.objects.bulk_create(
        [
            Friendship(user=request.from_user, friend=request.to_user),
            Friendship(user=request.to_user, friend=request.from_user),
        ],
        ignore_conflicts=True,
    )
    return request


@transaction.atomic
def friend_request_decline(*, request: FriendRequest, by: User) -> FriendRequest:
    request = _friend_request_answer(request=request, by=by)
    if request.status == FriendRequestStatus.DECLINED:
        return request
    if not request.is_pending:
        raise ApplicationError(
            "That friend request was already accepted.", code="friend_request_answered"
        )
    request.status = FriendRequestStatus.DECLINED
    request.responded_at = timezone.now()
    request.save(update_fields=["status", "responded_at"])
    return request


@transaction.atomic
def friendship_end(*, user: User, friend: User | None) -> None:
    """Either side may end a friendship; both rows go together."""
    if friend is None:
        raise _not_found("You are not friends with this person.")
    deleted, _ = Friendship.objects.filter(
        Q(user=user, friend=friend) | Q(user=friend, friend=user)
    ).delete()
    if not deleted:
        raise _not_found("You are not friends with this person.")


@transaction.atomic
def user_block(*, user: User, blocked: User | None) -> None:
    """End any friendship and refuse their requests from now on; they are told nothing.

    Only someone the user knows (a friend, or someone who asked) can be blocked by id; anyone
    else is answered as not found, so ids cannot be probed.
    """
    if blocked is None or blocked.pk == user.pk or not _knows(user=user, other=blocked):
        raise _not_found("There is no one to block by that id.")
    Block.objects.get_or_create(blocker=user, blocked=blocked)
    Friendship.objects.filter(Q(user=user, friend=blocked) | Q(user=blocked, friend=user)).delete()
    FriendRequest.objects.filter(
        Q(from_user=blocked, to_user=user) | Q(from_user=user, to_user=blocked),
        status=FriendRequestStatus.PENDING,
    ).update(status=FriendRequestStatus.DECLINED, responded_at=timezone.now())


def _knows(*, user: User, other: User) -> bool:
    if selectors.are_friends(user=user, other=other):
        return True
    if Block.objects.filter(blocker=user, blocked=other).exists():
        return True
    return FriendRequest.objects.filter(
        Q(from_user=other, to_user=user) | Q(from_user=user, to_user=other)
    ).exists()
