"""Community practice for tests: a practitioner who has joined in (sync on, shown anonymously, in a
running challenge), and a challenge that has ended with people in it."""

from datetime import timedelta

from django.utils import timezone

from accounts.services import device_create
from accounts.services.profile import user_profile_update
from progression import services as progression
from progression.selectors import user_today
from social import services as social


def join_the_community(user, *, title: str = "A calm December") -> None:
    """Turn sync on (the practice must meet the invitation), appear anonymously on the global
    board, join a running minutes challenge, and sync today once more so the boards file it."""
    progression.sync_enable(user=user)
    user_profile_update(user=user, changes={"leaderboard_global": "anonymous"})
    challenge = social.challenge_create(
        created_by=None,
        title=title,
        type="global",
        goal_metric="totalMinutes",
        goal_target=300,
        duration_days=30,
        starts_at=timezone.now() - timedelta(hours=1),
    )
    social.challenge_join(challenge=challenge, user=user)
    device, _token = device_create(user=user, name="Phone")
    today = user_today(user=user)
    progression.sync_apply(
        device=device,
        payload=progression.SyncPayload(days=(progression.DayCounters(today, 60, 2, 40),)),
    )


def ended_challenge_joined_by(*people, reward_xp: int = 50):
    """A global "two calm days" challenge that started eight days ago and ended yesterday, with
    `people` in it since its start (joined directly: the service refuses an ended challenge)."""
    from social.models import ChallengeParticipation

    start = timezone.now() - timedelta(days=8)
    challenge = social.challenge_create(
        created_by=None,
        title="Two calm days",
        type="global",
        goal_metric="consistency",
        goal_target=2,
        duration_days=7,
        starts_at=start,
        reward_xp=reward_xp,
    )
    for someone in people:
        ChallengeParticipation.objects.create(challenge=challenge, user=someone, joined_at=start)
    return challenge
