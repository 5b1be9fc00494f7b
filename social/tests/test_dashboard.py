from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from social import services
from social.selectors.dashboard import dashboard_challenges, dashboard_rank
from social.tests.conftest import day

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_my_weekly_place_and_running_challenges(member, sync_days):
    maya = member("Maya", leaderboard_global="anonymous")
    theo = member("Theo", leaderboard_global="named")
    sync_days(maya, {day(0): 50})
    sync_days(theo, {day(0): 90})
    challenge = services.challenge_create(
        created_by=None, title="Calm week", type="global", goal_metric="sessions",
        goal_target=4, duration_days=7, starts_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip
    services.challenge_join(challenge=challenge, user=maya)

    rank = dashboard_rank(maya)
    assert (rank.rank, rank.scope, rank.period) == (2, "global", "week")
    assert rank.shown_as.startswith("Anonymous_")
    assert [(c.title, c.target) for c in dashboard_challenges(maya)] == [("Calm week", 4)]
    browser = Client()
    browser.force_login(maya)
    page = browser.get("/dashboard/").content.decode()
    assert "Calm week" in page


def test_no_rank_for_someone_who_shows_on_no_board(member):
    assert dashboard_rank(member("Quiet")) is None
    assert dashboard_rank(member("New", sync=False, leaderboard_global="named")) is None


def test_the_dashboard_lists_only_running_visible_challenges_still_joined(member, sync_days, staff):
    maya = member("Maya")
    sync_days(maya, {day(0): (30, 2, 25)})

    def joined(title: str, days: int):
        challenge = services.challenge_create(
            created_by=None, title=title, type="global", goal_metric="totalMinutes",
            goal_target=100, duration_days=days, starts_at=timezone.now() - timedelta(hours=1),
        )  # fmt: skip
        services.challenge_join(challenge=challenge, user=maya)
        return challenge

    joined("Long and slow", 20)
    joined("Short and sweet", 3)
    services.challenge_leave(challenge=joined("Left behind", 5), user=maya)
    services.challenge_hide(challenge=joined("Hidden by staff", 5), staff=staff)
    ended = joined("Already over", 5)
    type(ended).objects.filter(pk=ended.pk).update(ends_at=timezone.now() - timedelta(minutes=1))

    shown = dashboard_challenges(maya)
    assert [(c.title, c.current, c.target) for c in shown] == [
        ("Short and sweet", 25, 100),
        ("Long and slow", 25, 100),
    ]
    assert shown[0].url.endswith("/") and not shown[0].completed
