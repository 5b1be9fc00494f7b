"""What the dashboard reads (progression.selectors.dashboard), through the page where it shows."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.services import device_create
from progression import dashboard_sections, services
from progression.dashboard_sections import ChallengeProgress, CommunityRank
from progression.selectors import user_today, utc_today
from progression.selectors.dashboard import WEEKLY_GOAL_MINUTES, dashboard_for
from progression.tests.dashboard_practice import premium, year_of_practice, zone_off_utc_today


def _queries(user) -> int:
    return len(_statements(user))


def _statements(user) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        dashboard_for(user=user)
    return [query["sql"] for query in queries]


@pytest.mark.django_db
def test_the_dashboard_reads_in_the_same_few_queries_whatever_the_history(
    verified_user, friend, stranger
):
    year_of_practice(verified_user, devices=3, days=365)
    year_of_practice(friend, devices=1, days=40)
    premium(stranger)
    year_of_practice(stranger, devices=3, days=365)
    # Both free and past level 10 (billing's offer is asked), one with 9x the history.
    year_counts = _queries(verified_user)
    assert year_counts == _queries(friend)
    # Progression's own reads are two (the state statement, the year's days); the rest are
    # billing's plan and offer and social's sections, the same count whatever the history.
    # (The state statement folds in social's joined challenges: it is still progression's.)
    own = [
        sql
        for sql in _statements(verified_user)
        if "billing_" not in sql and ("social_" not in sql or "progression_syncstate" in sql)
    ]
    assert len(own) == 2
    assert _queries(stranger) <= year_counts


@pytest.mark.django_db
def test_below_the_offer_ladder_no_query_goes_to_the_offer(friend):
    year_of_practice(friend, devices=1, days=20, modest=True)
    dashboard = dashboard_for(user=friend)
    assert dashboard.level.number < 7
    with CaptureQueriesContext(connection) as queries:
        dashboard_for(user=friend)
    assert not [q for q in queries if "offerdismissal" in q["sql"]]
    assert dashboard.offer is None
    assert dashboard.locked_analytics


@pytest.mark.django_db
def test_days_are_the_users_own_and_the_week_runs_monday_to_sunday(verified_user):
    verified_user.timezone = zone_off_utc_today()
    verified_user.save(update_fields=["timezone"])
    today = user_today(user=verified_user)
    assert today != utc_today()
    device, _token = device_create(user=verified_user, name="Laptop")
    services.sync_apply(
        device=device,
        payload=services.SyncPayload(
            days=(
                services.DayCounters(today, 40, 2, 12),
                services.DayCounters(today - timedelta(days=today.weekday() + 1), 30, 1, 9),
            )
        ),
    )
    dashboard = dashboard_for(user=verified_user)
    assert dashboard.today == today
    assert dashboard.today_minutes == 12
    assert dashboard.week.minutes == 12  # last Sunday belongs to last week
    assert [day.date.weekday() for day in dashboard.week.days] == list(range(7))
    assert dashboard.heatmap.last == today
    assert dashboard.heatmap.cells[-1][2] == 2  # 12 minutes: the second shade of practice
    assert dashboard.heatmap.active_days == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "goal"),
    [(100, 100), (0, WEEKLY_GOAL_MINUTES), ("lots", WEEKLY_GOAL_MINUTES), (True, 70), (None, 70)],
)
def test_the_weekly_goal_is_the_clients_when_it_makes_sense(verified_user, value, goal):
    device, _token = device_create(user=verified_user, name="Laptop")
    services.sync_apply(
        device=device,
        payload=services.SyncPayload(
            preferences=services.Preferences(
                value={"weeklyGoalMinutes": value}, modified_at=datetime(2026, 11, 1, tzinfo=UTC)
            )
        ),
    )
    assert dashboard_for(user=verified_user).week.goal_minutes == goal


@pytest.mark.django_db
def test_premium_gets_weekdays_and_months_free_sees_what_is_locked(verified_user, friend):
    today = user_today(user=verified_user)
    today -= timedelta(days=today.weekday())  # the Monday of this week
    practice = {}
    for offset in range(120):  # Mondays 20 minutes, other weekdays 5, weekends at rest
        day = today - timedelta(days=offset)
        minutes = 20 if day.weekday() == 0 else (5 if day.weekday() < 5 else 0)
        if minutes:
            practice[day] = minutes
    for user in (verified_user, friend):
        device, _token = device_create(user=user, name="Laptop")
        days = tuple(services.DayCounters(day, m, 1, m) for day, m in practice.items())
        services.sync_apply(device=device, payload=services.SyncPayload(days=days))
    premium(verified_user)

    analytics = dashboard_for(user=verified_user, today=today).analytics
    assert analytics is not None and analytics.history_days == 365
    averages = {name: average for name, average, _count in analytics.weekday_rows}
    # 18 Mondays in the last 120 days, over the 53 Mondays of the 365-day window (it starts on
    # a Monday, so it holds one more of those)
    assert averages["Monday"] == round(18 * 20 / 53)
    assert averages["Tuesday"] == round(sum(1 for d in practice if d.weekday() == 1) * 5 / 52)
    assert averages["Saturday"] == averages["Sunday"] == 0
    months = dict(analytics.month_rows)
    this_month, last_month = today.replace(day=1), (today.replace(day=1) - timedelta(days=1))
    assert months[this_month] == sum(m for d, m in practice.items() if d >= this_month)
    assert months[last_month.replace(day=1)] == sum(
        m for d, m in practice.items() if d.replace(day=1) == last_month.replace(day=1)
    )
    assert analytics.this_month_change == months[this_month] - months[last_month.replace(day=1)]
    assert len(analytics.weeks.bars) == 53

    free = dashboard_for(user=friend, today=today)
    assert free.analytics is None
    assert "Your minutes by weekday" in free.locked_analytics


@pytest.mark.django_db
def test_higher_apps_fill_the_rank_and_challenges_through_the_registry(
    client, verified_user, monkeypatch
):
    monkeypatch.setattr(dashboard_sections, "_providers", {})
    client.force_login(verified_user)
    page = client.get("/dashboard/").content.decode()
    assert 'data-testid="community-rank"' not in page  # no provider: no card at all
    assert 'data-testid="challenges"' not in page

    ends = datetime(2026, 12, 24, tzinfo=UTC)
    dashboard_sections.provide_community_rank(
        lambda user: CommunityRank(rank=4, scope="global", period="week", shown_as="Maya")
    )
    dashboard_sections.provide_active_challenges(
        lambda user: [ChallengeProgress("Advent of calm", "totalMinutes", 90, 120, False, ends)]
    )
    page = client.get("/dashboard/").content.decode()
    assert 'data-testid="rank">#4</span>' in page
    assert "Advent of calm" in page and 'aria-valuenow="75"' in page
    assert "90 of 120 minutes" in page

    dashboard_sections.provide_community_rank(lambda user: None)
    dashboard_sections.provide_active_challenges(lambda user: [])
    page = client.get("/dashboard/").content.decode()
    assert "You are not on a leaderboard." in page
    assert "You are not in a challenge right now." in page


@pytest.mark.django_db
def test_a_section_that_fails_is_left_out_and_the_practice_still_shows(
    client, verified_user, monkeypatch, caplog
):
    monkeypatch.setattr(dashboard_sections, "_providers", {})

    def boards_away(user):
        raise ConnectionError("the boards' Redis is not answering")

    dashboard_sections.provide_community_rank(boards_away)
    client.force_login(verified_user)
    answer = client.get("/dashboard/")
    assert answer.status_code == 200
    assert 'data-testid="community-rank"' not in answer.content.decode()
    assert 'data-testid="level-title"' in answer.content.decode()
    assert "community_rank section could not be read" in caplog.text
