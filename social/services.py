"""Writes of the social app: friend requests, friendships, challenges and taking part."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework import status

from accounts import selectors as accounts_selectors
from accounts.models import User
from breathmaster.api.errors import ApplicationError
from social import selectors
from social.models import (
    Challenge,
    ChallengeParticipation,
    ChallengeVisibility,
    FriendRequest,
    FriendRequestStatus,
    Friendship,
)


def _not_found(detail: str) -> ApplicationError:
    return ApplicationError(detail, code="not_found", status_code=status.HTTP_404_NOT_FOUND)


@transaction.atomic
def friend_request_send(*, from_user: User, friend_code: str) -> FriendRequest:
    """Ask the owner of `friend_code` to be friends.

    When they had already asked us, that question is answered yes instead: both want it.
    """
    to_user = accounts_selectors.user_by_friend_code(friend_code=friend_code)
    if to_user is None:
        raise _not_found("No one has that friend code. Please check it and try again.")
    if to_user.pk == from_user.pk:
        raise ApplicationError("That is your own friend code.", code="friend_request_self")
    if selectors.are_friends(user=from_user, other=to_user):
        raise ApplicationError("You are already friends.", code="already_friends")
    reverse = FriendRequest.objects.filter(
        from_user=to_user, to_user=from_user, status=FriendRequestStatus.PENDING
    ).first()
    if reverse is not None:
        return friend_request_accept(request=reverse, by=from_user)
    if not to_user.allow_friend_requests:
        raise ApplicationError(
            "This person is not accepting friend requests right now.",
            code="friend_requests_closed",
            status_code=status.HTTP_403_FORBIDDEN,
        )
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
def friendship_end(*, user: User, friend: User) -> None:
    """Either side may end a friendship; both rows go together."""
    deleted, _ = Friendship.objects.filter(
        Q(user=user, friend=friend) | Q(user=friend, friend=user)
    ).delete()
    if not deleted:
        raise _not_found("You are not friends with this person.")


@transaction.atomic
def challenge_create(
    *,
    created_by: User | None,
    title: str,
    type: str,
    goal_metric: str,
    goal_target: int,
    duration_days: int,
    starts_at: datetime,
    description: str = "",
    reward_xp: int = 0,
    reward_badge_id: str = "",
    visibility: str = ChallengeVisibility.PUBLIC,
) -> Challenge:
    """A new challenge ending `duration_days` after it starts; the database checks the rest."""
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["Please give the challenge a title."]
    if goal_target <= 0:
        errors["goal_target"] = ["The goal needs to be above zero."]
    if duration_days <= 0:
        errors["duration_days"] = ["A challenge lasts at least one day."]
    if errors:
        raise ApplicationError("Some fields need another look.", code="invalid", errors=errors)
    return Challenge.objects.create(
        created_by=created_by,
        title=title.strip(),
        description=description,
        type=type,
        goal_metric=goal_metric,
        goal_target=goal_target,
        duration_days=duration_days,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(days=duration_days),
        reward_xp=reward_xp,
        reward_badge_id=reward_badge_id,
        visibility=visibility,
    )


@transaction.atomic
def challenge_join(*, challenge: Challenge, user: User) -> ChallengeParticipation:
    """Take part; joining twice changes nothing, joining after leaving starts afresh."""
    if not selectors.challenges_visible_to(user=user).filter(pk=challenge.pk).exists():
        raise _not_found("That challenge is not there.")
    if not challenge.is_open_at(timezone.now()):
        raise ApplicationError("This challenge has already ended.", code="challenge_ended")
    participation, created = ChallengeParticipation.objects.get_or_create(
        challenge=challenge, user=user
    )
    if created or participation.is_active:
        return participation
    # Progress counts from joining, so a return starts from the day they came back.
    participation.joined_at = timezone.now()
    participation.left_at = None
    participation.save(update_fields=["joined_at", "left_at"])
    return participation


@transaction.atomic
def challenge_leave(*, challenge: Challenge, user: User) -> None:
    """Stop taking part; leaving a challenge one is not in is already done."""
    ChallengeParticipation.objects.filter(
        challenge=challenge, user=user, left_at__isnull=True
    ).update(left_at=timezone.now())
