"""The web dashboard, in Chromium: level, XP, streak, today and the week, from synced days."""

from datetime import timedelta

import pytest

from progression import services
from progression.selectors import user_today


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_dashboard_shows_level_streak_today_and_the_week(page, verified_user):
    from accounts.services import device_create

    device, _token = device_create(user=verified_user, name="Laptop")
    today = user_today(verified_user)
    services.sync_apply(
        device=device,
        payload=services.SyncPayload(
            days=(
                services.DayCounters(today, 120, 3, 25),
                services.DayCounters(today - timedelta(days=1), 60, 1, 10),
            ),
            baseline=services.Counters(400, 10, 80),
        ),
    )
    page.goto("/accounts/login/")
    page.fill("input[name=login]", "maya@example.com")
    page.fill("input[name=password]", "calm-breath-42")
    page.click("button[type=submit]")
    page.goto("/dashboard/")
    assert page.get_by_test_id("level-title").inner_text() == "Mindful Master"
    assert page.get_by_test_id("total-xp").inner_text() == "580"
    assert page.get_by_test_id("current-streak").inner_text() == "2"
    assert page.get_by_test_id("today-minutes").inner_text() == "25"
    assert page.locator("[data-testid=week] li").count() == 7
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "32"


@pytest.mark.django_db
def test_the_dashboard_asks_to_sign_in_first(client):
    answer = client.get("/dashboard/")
    assert answer.status_code == 302
    assert "/accounts/login/" in answer["Location"]
