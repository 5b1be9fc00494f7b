"""The dashboard with what social provides (community rank, running challenges), in Chromium:
progression never imports social; social fills progression's dashboard sections."""

import pytest
from playwright.sync_api import expect

from progression.tests.dashboard_practice import sign_in, year_of_practice
from tests.community_practice import join_the_community

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_shows_my_place_and_my_running_challenge(page, verified_user):
    practice = year_of_practice(verified_user, devices=1, days=40)
    join_the_community(verified_user, title="A calm December")  # 40 more minutes today
    minutes = practice[max(practice)][1] + 40  # the challenge counts from the day of joining
    sign_in(page, verified_user.email)

    rank = page.get_by_test_id("community-rank")
    expect(rank.get_by_test_id("rank")).to_have_text("#1")
    expect(rank).to_contain_text("on the global board")
    expect(rank).to_contain_text("shown as Anonymous_")
    challenges = page.get_by_test_id("challenges")
    expect(challenges.get_by_role("link", name="A calm December")).to_be_visible()
    percent = str(round(100 * minutes / 300))
    expect(challenges.get_by_role("progressbar")).to_have_attribute("aria-valuenow", percent)
    expect(challenges).to_contain_text(f"{minutes} of 300 minutes")


def test_someone_who_keeps_to_themselves_is_told_that_is_fine(page, friend):
    year_of_practice(friend, devices=1, days=10)
    sign_in(page, friend.email)
    expect(page.get_by_test_id("rank-private")).to_contain_text("perfectly fine")
    expect(page.get_by_test_id("challenges-empty")).to_contain_text("entirely optional")
