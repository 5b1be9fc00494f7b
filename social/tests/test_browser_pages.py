"""The social pages in Chromium: leaderboards, friends, challenges; forms work without scripts."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from social import services
from social.models import Challenge, Cheer
from social.tests.conftest import day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("email", re.I)).first.fill(user.email)
    page.get_by_label(re.compile("password", re.I)).first.fill("calm-breath-42")
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def no_inline_script(page) -> None:
    assert page.locator("script:not([src])").count() == 0


@pytest.fixture
def without_javascript(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_leaderboards_show_tabs_scopes_my_highlighted_rank_and_what_is_shared(
    page, member, sync_days, befriend
):
    maya = member("Maya", "maya@gmail.com", leaderboard_global="named", leaderboard_friends=True)
    theo = member("Theo", leaderboard_global="anonymous", leaderboard_friends=True)
    befriend(maya, theo)
    sync_days(maya, {day(0): 60})
    sync_days(theo, {day(0): 90})
    sign_in(page, maya)

    page.get_by_role("link", name="Leaderboards").first.click()
    page.get_by_role("link", name="Today").click()
    expect(page.get_by_test_id("my-rank")).to_contain_text("#2")
    mine = page.locator("tr.me")
    expect(mine).to_contain_text("Maya (you)")
    expect(mine).to_have_attribute("aria-current", "true")
    expect(page.locator("table.board")).to_contain_text("Anonymous_")
    expect(page.get_by_role("heading", name="What is shared")).to_be_visible()
    no_inline_script(page)

    page.get_by_role("link", name="Friends", exact=True).last.click()
    expect(page).to_have_url(re.compile(r"scope=friends"))
    expect(page.locator("table.board")).to_contain_text("Theo")
    page.get_by_role("link", name="Company").click()
    expect(page.get_by_text("needs a verified work email")).to_be_visible()


def test_friends_page_shows_my_code_adds_by_code_and_answers_requests(
    page, member, open_to_requests
):
    maya = member("Maya")
    theo = member("Theo", allow_friend_requests=True)
    ana = member("Ana", leaderboard_friends=True)
    open_to_requests(maya)
    services.friend_request_send(from_user=ana, friend_code=maya.friend_code)
    sign_in(page, maya)

    page.goto("/friends/")
    expect(page.get_by_test_id("friend-code")).to_have_value(maya.friend_code)
    expect(page.get_by_role("button", name="Copy")).to_be_visible()  # social.js enhanced it
    no_inline_script(page)
    page.locator("#id_friend_code").fill("not-a-real-code")
    page.get_by_role("button", name="Send a request").click()
    expect(page.get_by_role("alert")).to_contain_text("cannot be used")
    page.locator("#id_friend_code").fill(theo.friend_code)
    page.get_by_role("button", name="Send a request").click()
    expect(page.get_by_text("Your friend request is on its way.")).to_be_visible()

    page.get_by_test_id("incoming").get_by_role("button", name="Accept").click()
    expect(page.get_by_test_id("friend")).to_contain_text("Ana")

    # Friends in the same challenge can cheer each other from here.
    challenge = services.challenge_create(
        created_by=None, title="Calm week", type="global", goal_metric="sessions",
        goal_target=5, duration_days=7, starts_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip
    for person in (maya, ana):
        services.challenge_join(challenge=challenge, user=person)
    page.reload()
    page.get_by_role("button", name="Cheer on “Calm week”").click()
    expect(page.get_by_text("Your cheer is sent.")).to_be_visible()
    assert Cheer.objects.filter(from_user=maya, to_user=ana).count() == 1


def test_challenges_create_join_progress_and_leave_without_javascript(
    without_javascript, member, sync_days
):
    page = without_javascript
    maya = member("Maya")
    sign_in(page, maya)

    page.goto("/challenges/")
    page.get_by_label("Title").fill("Lunch breaths")
    page.get_by_label("Goal").select_option("sessions")
    page.get_by_label("Target").fill("3")
    page.get_by_label("Days").fill("5")
    page.get_by_label("Visibility").select_option("friends")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name="Lunch breaths")).to_be_visible()
    challenge = Challenge.objects.get()

    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("You have joined.")).to_be_visible()
    sync_days(maya, {day(0): (40, 2, 12)})
    page.reload()
    expect(page.get_by_test_id("my-progress")).to_contain_text("2 of 3")
    expect(page.locator("tr.me")).to_contain_text("Maya (you)")

    page.get_by_role("button", name="Leave").click()
    expect(page.get_by_text("You have left this challenge.")).to_be_visible()
    page.goto("/challenges/")
    expect(page.get_by_test_id("challenge")).to_contain_text("Lunch breaths")
    assert challenge.participations.get().left_at is not None
