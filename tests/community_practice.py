"""A practitioner who has joined in: sync on, shown anonymously, in a running challenge."""

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
