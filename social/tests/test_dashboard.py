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
