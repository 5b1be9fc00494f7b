"""The social part of a user's data export."""

from typing import Any

from django.db.models import Q

from accounts.models import User
from breathmaster.timestamps import iso
from social.models import Challenge, ChallengeParticipation, FriendRequest, Friendship, Pseudonym


def export_for_user(user: User) -> dict[str, Any]:
    """The user's part of the data export: least data about the other people involved."""
    pseudonym = Pseudonym.objects.filter(user=user).first()
    return {
        # What anonymous board entries show for the user; null until a board first needed one.
        "pseudonym": pseudonym.label if pseudonym else None,
        "friends": [
            {
                "userId": str(friendship.friend_id),
                "displayName": friendship.friend.display_name,
                "since": iso(friendship.created_at),
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
                "joinedAt": iso(participation.joined_at),
                "leftAt": iso(participation.left_at),
                "completedAt": iso(participation.completed_at),
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
                "startsAt": iso(challenge.starts_at),
                "endsAt": iso(challenge.ends_at),
                "visibility": challenge.visibility,
                "createdAt": iso(challenge.created_at),
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
        "createdAt": iso(request.created_at),
        "respondedAt": iso(request.responded_at),
    }
