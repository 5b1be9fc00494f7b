"""Reads of the social app: friends, friend requests, challenges someone may see."""

from typing import Any

from django.db.models import Q, QuerySet

from accounts import selectors as accounts_selectors
from accounts.models import User
from social.models import (
    Challenge,
    ChallengeParticipation,
    ChallengeVisibility,
    FriendRequest,
    FriendRequestStatus,
    Friendship,
)


def friend_ids_of(*, user: User) -> QuerySet:
    """The ids of the user's friends, as a subquery other reads can filter on."""
    return Friendship.objects.filter(user=user).values("friend_id")


def friends_of(*, user: User) -> QuerySet[User]:
    return accounts_selectors.users_by_ids(user_ids=friend_ids_of(user=user))


def are_friends(*, user: User, other: User) -> bool:
    return Friendship.objects.filter(user=user, friend=other).exists()


def friend_requests_received(*, user: User) -> QuerySet[FriendRequest]:
    return FriendRequest.objects.filter(
        to_user=user, status=FriendRequestStatus.PENDING
    ).select_related("from_user")


def challenges_visible_to(*, user: User) -> QuerySet[Challenge]:
    """Public challenges, friends' challenges for their friends, and whatever the user is in."""
    return Challenge.objects.filter(
        Q(visibility=ChallengeVisibility.PUBLIC)
        | Q(created_by=user)
        | Q(visibility=ChallengeVisibility.FRIENDS, created_by__in=friend_ids_of(user=user))
        | Q(participations__user=user)
    ).distinct()


def challenge_participation(*, challenge: Challenge, user: User) -> ChallengeParticipation | None:
    return ChallengeParticipation.objects.filter(challenge=challenge, user=user).first()


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def export_for_user(user: User) -> dict[str, Any]:
    """The user's part of the data export: least data about the other people involved."""
    return {
        "friends": [
            {
                "userId": str(friendship.friend_id),
                "displayName": friendship.friend.display_name,
                "since": _iso(friendship.created_at),
            }
            for friendship in Friendship.objects.filter(user=user)
            .select_related("friend")
            .order_by("created_at")
        ],
        "friendRequests": [
            _request_export(request, user)
            for request in FriendRequest.objects.filter(Q(from_user=user) | Q(to_user=user))
            .select_related("from_user", "to_user")
            .order_by("created_at")
        ],
        "challengesJoined": [
            {
                "challengeId": str(participation.challenge_id),
                "title": participation.challenge.title,
                "joinedAt": _iso(participation.joined_at),
                "leftAt": _iso(participation.left_at),
                "completedAt": _iso(participation.completed_at),
            }
            for participation in ChallengeParticipation.objects.filter(user=user)
            .select_related("challenge")
            .order_by("joined_at")
        ],
        "challengesCreated": [
            {
                "id": str(challenge.pk),
                "title": challenge.title,
                "description": challenge.description,
                "type": challenge.type,
                "goal": {
                    "metric": challenge.goal_metric,
                    "target": challenge.goal_target,
                    "durationDays": challenge.duration_days,
                },
                "startsAt": _iso(challenge.starts_at),
                "endsAt": _iso(challenge.ends_at),
                "visibility": challenge.visibility,
                "createdAt": _iso(challenge.created_at),
            }
            for challenge in Challenge.objects.filter(created_by=user).order_by("created_at")
        ],
    }


def _request_export(request: FriendRequest, user: User) -> dict[str, Any]:
    sent = request.from_user_id == user.pk
    other = request.to_user if sent else request.from_user
    return {
        "direction": "sent" if sent else "received",
        "otherUser": {"userId": str(other.pk), "displayName": other.display_name},
        "status": request.status,
        "createdAt": _iso(request.created_at),
        "respondedAt": _iso(request.responded_at),
    }
