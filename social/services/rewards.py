"""Completions, closing ended challenges with their rewards, and the friends' feed events."""

import logging

from django.db import transaction
from django.utils import timezone

from accounts import selectors as accounts_selectors
from accounts.models import User
from progression.services import award_grant
from social import events
from social.models import Challenge, ChallengeParticipation, Friendship
from social.selectors import challenges as selectors

logger = logging.getLogger(__name__)


def _friends_who_see(*, user: User, challenge: Challenge | None = None) -> list:
    """Friends who may hear of the user's progress (and see the challenge, when one is named)."""
    if not user.share_progress:
        return []
    friend_ids = list(
        Friendship.objects.filter(user=user, friend__is_active=True).values_list(
            "friend_id", flat=True
        )
    )
    if challenge is None:
        return friend_ids
    friends = User.objects.filter(pk__in=friend_ids)
    return [
        friend.pk
        for friend in friends
        if selectors.challenge_visible(challenge_id=challenge.pk, user=friend) is not None
    ]


def _announce_completion(user: User, challenge: Challenge) -> None:
    friend_ids = _friends_who_see(user=user, challenge=challenge)
    if friend_ids:
        events.announce_on_commit(
            events.friend_challenge_completed,
            user_id=user.pk,
            display_name=user.display_name,
            challenge_id=challenge.pk,
            challenge_title=challenge.title,
            friend_ids=friend_ids,
        )


@transaction.atomic
def challenge_completions_refresh(*, user_id) -> int:
    """Mark the user's newly met goals in running challenges (after a sync); answer how many."""
    user = accounts_selectors.user_get_active(user_id=user_id)
    if user is None:
        return 0
    participations = list(
        ChallengeParticipation.objects.select_for_update()
        .filter(
            user=user,
            left_at__isnull=True,
            completed_at__isnull=True,
            challenge__closed_at__isnull=True,
        )
        .select_related("challenge", "user")
    )
    completed = 0
    for participation in participations:
        challenge = participation.challenge
        progress = selectors.progress_for(challenge=challenge, participations=[participation])
        if progress[user.pk]["completed"]:
            participation.completed_at = timezone.now()
            participation.save(update_fields=["completed_at"])
            _announce_completion(user, challenge)
            completed += 1
    return completed


def challenges_close_ended() -> int:
    """Close every challenge past its end, rewarding each finisher once; answer how many closed.

    Safe to run twice at once:
    1. Each challenge is claimed with `SELECT ... FOR UPDATE SKIP LOCKED` among the unclosed
       ones, so two runs never work on the same one.
    2. Rewards go through `award_grant` (unique per user and reason) and `rewarded_at`.
    3. `closed_at` is set in the same transaction: once committed, nobody picks it up again.
    """
    closed = 0
    while _close_one():
        closed += 1
    return closed


@transaction.atomic
def _close_one() -> bool:
    challenge = (
        Challenge.objects.select_for_update(skip_locked=True)
        .filter(closed_at__isnull=True, ends_at__lte=timezone.now())
        .order_by("ends_at")
        .first()
    )
    if challenge is None:
        return False
    participations = list(
        ChallengeParticipation.objects.select_for_update()
        .filter(challenge=challenge, left_at__isnull=True, user__is_active=True)
        .select_related("user")
    )
    progress = selectors.progress_for(challenge=challenge, participations=participations)
    for participation in participations:
        if progress[participation.user_id]["completed"]:
            _reward(challenge, participation)
        _announce_result(challenge, participation, progress[participation.user_id])
    challenge.closed_at = timezone.now()
    challenge.save(update_fields=["closed_at"])
    return True


def _announce_result(challenge: Challenge, participation, progress: dict) -> None:
    """Each participant's own result, once: sent only if this close commits (see above)."""
    if challenge.hidden_at is not None:
        return
    events.announce_on_commit(
        events.challenge_result,
        user_id=participation.user_id,
        challenge_id=challenge.pk,
        challenge_title=challenge.title,
        goal_metric=challenge.goal_metric,
        completed=progress["completed"],
        current=progress["current"],
        target=progress["target"],
        percent=progress["percent"],
        reward_xp=challenge.reward_xp if progress["completed"] else 0,
    )


def _reward(challenge: Challenge, participation: ChallengeParticipation) -> None:
    fields = []
    if participation.completed_at is None:
        participation.completed_at = timezone.now()
        fields.append("completed_at")
        _announce_completion(participation.user, challenge)
    if challenge.reward_xp and participation.rewarded_at is None:
        award_grant(
            user=participation.user, xp=challenge.reward_xp, reason=f"challenge:{challenge.pk}"
        )
        participation.rewarded_at = timezone.now()
        fields.append("rewarded_at")
    if fields:
        participation.save(update_fields=fields)


def level_up_announce(*, user_id, level: int, title: str) -> None:
    """Tell the friends who may see it that the user reached a level."""
    user = accounts_selectors.user_get_active(user_id=user_id)
    if user is None:
        return
    friend_ids = _friends_who_see(user=user)
    if friend_ids:
        events.friend_level_reached.send_robust(
            sender=None,
            user_id=user.pk,
            display_name=user.display_name,
            level=level,
            title=title,
            friend_ids=friend_ids,
        )
