import time
from datetime import timedelta

import pytest
from django.utils import timezone

from breathmaster.testing.concurrency import run_together
from progression.models import ServerAward
from social import events, services
from social.models import ChallengeParticipation
from social.tests.conftest import day
from tests.community_practice import ended_challenge_joined_by


def ended_challenge_with(finisher, idler, sync_days):
    challenge = ended_challenge_joined_by(finisher, idler)
    sync_days(finisher, {day(-6): 30, day(-5): 30})
    sync_days(idler, {day(-6): 30})
    return challenge


@pytest.mark.django_db(transaction=True)
def test_two_closing_jobs_at_once_reward_each_finisher_exactly_once(member, sync_days):
    finisher, idler = member("Fin"), member("Idle")
    challenge = ended_challenge_with(finisher, idler, sync_days)
    results = run_together(lambda _: services.challenges_close_ended(), threads=2)

    assert sorted(results) == [0, 1]
    assert list(ServerAward.objects.values_list("user_id", "xp", "reason")) == [
        (finisher.pk, 50, f"challenge:{challenge.pk}")
    ]
    assert services.challenges_close_ended() == 0
    state = finisher.client.get("/api/v1/sync/state").json()["state"]
    assert state["totalXP"] == 60 + 50
    assert idler.client.get("/api/v1/sync/state").json()["state"]["totalXP"] == 30
    finished = ChallengeParticipation.objects.get(user=finisher)
    assert finished.completed_at is not None and finished.rewarded_at is not None


@pytest.mark.django_db(transaction=True)
def test_the_periodic_job_closes_challenges_in_a_real_worker(member, sync_days, celery_worker):
    from social.tasks import close_ended_challenges

    finisher, idler = member("Fin"), member("Idle")
    challenge = ended_challenge_with(finisher, idler, sync_days)

    close_ended_challenges.delay()

    for _ in range(300):
        challenge.refresh_from_db()
        if challenge.closed_at is not None:
            break
        time.sleep(0.1)
    assert challenge.closed_at is not None
    assert ServerAward.objects.get().user_id == finisher.pk
    assert finisher.client.get("/api/v1/sync/state").json()["state"]["totalXP"] == 110


@pytest.mark.django_db
def test_friends_hear_of_level_ups_and_completions_only_as_privacy_allows(
    member, befriend, sync_days, django_capture_on_commit_callbacks
):
    sharer = member("Sharer", share_progress=True)
    private = member("Private")
    friend, stranger = member("Friend"), member("Stranger")
    befriend(sharer, friend)
    befriend(private, friend)
    heard = []

    def listen(sender, **payload):
        heard.append(payload)

    events.friend_level_reached.connect(listen)
    events.friend_challenge_completed.connect(listen)
    try:
        services.level_up_announce(user_id=sharer.pk, level=3, title="Calm")
        services.level_up_announce(user_id=private.pk, level=3, title="Calm")
        challenge = services.challenge_create(
            created_by=None, title="One day", type="global", goal_metric="consistency",
            goal_target=1, duration_days=3, starts_at=timezone.now() - timedelta(hours=1),
        )  # fmt: skip
        for person in (sharer, private):
            services.challenge_join(challenge=challenge, user=person)
            sync_days(person, {day(0): 20})
    finally:
        events.friend_level_reached.disconnect(listen)
        events.friend_challenge_completed.disconnect(listen)

    assert [(p["user_id"], p["friend_ids"]) for p in heard] == [
        (sharer.pk, [friend.pk]),
        (sharer.pk, [friend.pk]),
    ]
    assert heard[1]["challenge_title"] == "One day"
    assert str(stranger.pk) not in str(heard)
