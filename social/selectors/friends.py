"""Reads about friends: who they are, what each shares, the requests waiting."""

from django.db.models import Q, QuerySet

from accounts import selectors as accounts_selectors
from accounts.models import User
from progression import selectors as progression_selectors
from social.models import Block, FriendRequest, FriendRequestStatus, Friendship


def friend_ids_of(*, user: User) -> QuerySet:
    """The ids of the user's friends, as a subquery other reads can filter on."""
    return Friendship.objects.filter(user=user).values("friend_id")


def friends_of(*, user: User) -> QuerySet[User]:
    return accounts_selectors.users_by_ids(user_ids=friend_ids_of(user=user))


def are_friends(*, user: User, other: User) -> bool:
    return Friendship.objects.filter(user=user, friend=other).exists()


def is_blocked_between(*, user: User, other: User) -> bool:
    return Block.objects.filter(
        Q(blocker=user, blocked=other) | Q(blocker=other, blocked=user)
    ).exists()


def friend_requests_received(*, user: User) -> QuerySet[FriendRequest]:
    return FriendRequest.objects.filter(
        to_user=user, status=FriendRequestStatus.PENDING, from_user__is_active=True
    ).select_related("from_user")


def friend_requests_sent(*, user: User) -> QuerySet[FriendRequest]:
    return FriendRequest.objects.filter(
        from_user=user, status=FriendRequestStatus.PENDING, to_user__is_active=True
    ).select_related("to_user")


def friend_request_for(*, request_id, user: User) -> FriendRequest | None:
    """A request the user received (only the recipient may answer it)."""
    return FriendRequest.objects.filter(pk=request_id, to_user=user).first()


def friend_list(*, user: User) -> list[dict]:
    """The user's friends, newest friendship first; level and streak only where shared."""
    friendships = list(
        Friendship.objects.filter(user=user, friend__is_active=True)
        .select_related("friend")
        .order_by("-created_at", "friend_id")
    )
    return [_friend_entry(friendship) for friendship in friendships]


def _friend_entry(friendship: Friendship) -> dict:
    friend = friendship.friend
    level = streak = None
    if friend.share_progress or friend.share_streaks:
        state = progression_selectors.sync_state_for(user=friend)["state"]
        if friend.share_progress:
            level = state["currentLevel"]
        if friend.share_streaks:
            streak = state["currentStreak"]
    return {
        "user_id": friend.pk,
        "display_name": friend.display_name,
        "since": friendship.created_at,
        "level": level,
        "streak": streak,
    }
