"""The web dashboard in Chromium: a year of practice, the empty state, a phone, the dark, keys."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from progression.charts import heat_level
from progression.levels import level_for_xp
from progression.selectors import sync_state_for, user_today
from progression.tests.dashboard_practice import (
    premium,
    sign_in,
    year_of_practice,
    zone_off_utc_today,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def far_east_user(verified_user):
    """Maya lives where today is not UTC's today."""
    verified_user.timezone = zone_off_utc_today()
    verified_user.save(update_fields=["timezone"])
    return verified_user


def test_a_year_of_practice_shows_level_streaks_week_and_the_year(page, far_east_user):
    expected = year_of_practice(far_east_user)
    state = sync_state_for(user=far_east_user)["state"]
    today = user_today(user=far_east_user)
    sign_in(page, far_east_user.email)

    assert page.get_by_test_id("level-title").inner_text() == level_for_xp(state["totalXP"]).title
    assert page.get_by_test_id("total-xp").inner_text() == str(state["totalXP"])
    assert page.get_by_test_id("current-streak").inner_text() == str(state["currentStreak"])
    assert page.get_by_test_id("longest-streak").inner_text() == str(state["longestStreak"])
    assert page.get_by_test_id("today-minutes").inner_text() == str(expected[today][1])
    monday = today - timedelta(days=today.weekday())
    week = sum(expected.get(monday + timedelta(days=n), (0, 0))[1] for n in range(7))
    assert page.get_by_test_id("week-minutes").inner_text() == str(week)
    assert page.get_by_test_id("week-goal").inner_text() == "70"

    # The year: one square per day from the Monday 52 weeks back to the user's own today.
    first = monday - timedelta(weeks=52)
    cells = page.get_by_test_id("heatmap").locator("rect")
    assert cells.count() == (today - first).days + 1
    levels = cells.evaluate_all("cells => cells.map(cell => cell.getAttribute('class'))")
    wanted = [
        f"l{heat_level(sessions=s, minutes=m)}"
        for s, m in (expected.get(first + timedelta(days=n), (0, 0)) for n in range(len(levels)))
    ]
    assert levels == wanted
    assert len(set(levels)) == 5  # every shade is used by this practice
    active = sum(1 for day, (sessions, _m) in expected.items() if day >= first and sessions)
    expect(page.get_by_test_id("year-active-days")).to_contain_text(f"{active} active days")
    assert page.get_by_test_id("heatmap-legend").get_by_role("img").count() == 5
    last_title = cells.last.locator("title").text_content()
    assert last_title.startswith(f"{today:%a} {today.day} {today:%b}")

    badges = page.get_by_test_id("achievements").get_by_role("listitem")
    expect(badges).to_have_text(["First streak", "Week warrior"])
    # Free and far up the ladder: billing's offer, which also says once what a plan adds.
    expect(page.get_by_test_id("offer")).to_contain_text("Lifetime")
    expect(page.get_by_test_id("offer-adds")).to_contain_text("Your minutes by weekday")
    assert page.get_by_test_id("analytics-locked").count() == 0
    assert page.get_by_test_id("analytics").count() == 0


def test_an_offer_closes_for_good_with_a_plain_form(page, verified_user):
    year_of_practice(verified_user, devices=2, days=60)  # past level 10, on Free
    sign_in(page, verified_user.email)
    for plan in ("Lifetime", "Premium"):  # the ladder's rungs, highest first
        offer = page.get_by_test_id("offer")
        expect(offer).to_contain_text(plan)
        offer.get_by_role("button", name="No thanks, do not show this again").click()
        page.goto("/dashboard/")
    expect(page.get_by_test_id("offer")).to_have_count(0)
    expect(page.get_by_test_id("analytics-locked")).to_be_visible()  # said once, quietly


def test_premium_shows_its_analytics_in_tabs_that_are_links(page, verified_user):
    practice = year_of_practice(verified_user, devices=1, days=120, modest=True)
    premium(verified_user)
    sign_in(page, verified_user.email)
    analytics = page.get_by_test_id("analytics")
    expect(analytics.get_by_test_id("weeks-chart")).to_be_visible()
    analytics.get_by_role("link", name="Weekdays").click()
    expect(page.get_by_test_id("weekday-chart")).to_be_visible()
    expect(page.get_by_role("link", name="Weekdays")).to_have_attribute("aria-current", "page")
    page.get_by_role("link", name="Months").click()
    months = {day.replace(day=1) for day, (_sessions, minutes) in practice.items() if minutes}
    expect(page.get_by_test_id("month-chart").locator("rect.bar")).to_have_count(len(months))
    assert page.get_by_test_id("analytics-locked").count() == 0


def test_an_empty_dashboard_says_kindly_that_there_is_nothing_yet(page, verified_user):
    sign_in(page, verified_user.email)
    expect(page.get_by_test_id("welcome")).to_contain_text("Nothing synced yet.")
    expect(page.get_by_test_id("week-empty")).to_contain_text("No minutes this week yet.")
    expect(page.get_by_test_id("heatmap-empty")).to_contain_text("Your year starts")
    expect(page.get_by_test_id("achievements-empty")).to_be_visible()
    expect(page.get_by_test_id("analytics-locked")).to_be_visible()  # level 1: no offer
    assert page.get_by_test_id("level-title").inner_text() == "Mindful Rookie"
    assert page.get_by_test_id("xp-bar").get_attribute("aria-valuenow") == "0"
    assert (
        page.get_by_test_id("heatmap").locator("rect.l0").count()
        == page.get_by_test_id("heatmap").locator("rect").count()
    )
    assert "NaN" not in page.content()


def test_on_a_phone_the_navigation_folds_and_nothing_overflows(
    chromium, live_server, verified_user
):
    year_of_practice(verified_user, devices=1, days=60)
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    try:
        sign_in(page, verified_user.email)
        menu = page.locator("summary", has_text="Menu")
        expect(menu).to_be_visible()
        devices = page.get_by_role("link", name="Devices")
        expect(devices).to_have_count(0)  # folded away until asked for
        menu.click()
        devices.click()
        expect(page.get_by_role("heading", name="Your devices")).to_be_visible()
        page.goto("/dashboard/")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width}px wide on a 390px screen"
        expect(page.get_by_test_id("heatmap")).to_be_visible()
    finally:
        context.close()


def _background(page) -> tuple[int, ...]:
    color = page.evaluate("getComputedStyle(document.body).backgroundColor")
    return tuple(int(part) for part in color[color.index("(") + 1 : -1].split(",")[:3])


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_the_pages_follow_the_system_colour_scheme(chromium, live_server, verified_user, scheme):
    year_of_practice(verified_user, devices=1, days=30)
    context = chromium.new_context(base_url=live_server.url, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto("/")
        home = _background(page)
        sign_in(page, verified_user.email)
        dashboard = _background(page)
        heat = (
            page.get_by_test_id("heatmap")
            .locator("rect.l0")
            .first.evaluate("cell => getComputedStyle(cell).fill")
        )
    finally:
        context.close()
    for red, green, blue in (home, dashboard):
        brightness = (red * 299 + green * 587 + blue * 114) / 1000
        assert (brightness < 60) if scheme == "dark" else (brightness > 200), (scheme, home)
    assert heat == ("rgb(31, 44, 41)" if scheme == "dark" else "rgb(227, 235, 232)")


FOCUSABLE = "a[href], button, summary, input:not([type=hidden]), select, textarea, [tabindex='0']"


def test_keyboard_alone_reaches_every_control_with_a_visible_focus(page, verified_user):
    year_of_practice(verified_user, devices=1, days=40)
    sign_in(page, verified_user.email)
    wanted = page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
            .filter(el => el.getClientRects().length
                && getComputedStyle(el).visibility !== 'hidden')
            .length""",
        FOCUSABLE,
    )
    page.locator("body").focus()
    reached, outlines = [], []
    for _ in range(wanted + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const el = document.activeElement; const style = getComputedStyle(el);
                if (el === document.body) return null;
                return [el.outerHTML.slice(0, 80), style.outlineStyle,
                        parseFloat(style.outlineWidth)]; }"""
        )
        if focused is None or focused[0] in reached:
            break
        reached.append(focused[0])
        outlines.append(focused)
    assert len(reached) == wanted, reached
    assert reached[0].startswith('<a class="skip-link"')
    hidden = [html for html, style, width in outlines if style == "none" or width < 2]
    assert not hidden, f"focus not visible on {hidden}"

    # And the keys work: open the week's numbers with Enter, then follow the skip link.
    page.locator("summary", has_text="The week in numbers").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("week")).to_be_visible()


@pytest.mark.django_db
def test_the_dashboard_asks_to_sign_in_first(client):
    answer = client.get("/dashboard/")
    assert answer.status_code == 302
    assert "/accounts/login/" in answer["Location"]


def test_without_javascript_everything_on_the_dashboard_still_works(
    chromium, live_server, verified_user
):
    year_of_practice(verified_user, devices=2, days=60)  # on Free, past level 10: an offer
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, verified_user.email)
        page.locator("summary", has_text="The year in numbers").click()
        expect(page.get_by_test_id("year-months")).to_be_visible()
        page.get_by_test_id("offer").get_by_role("button").click()  # a plain POST form
        page.goto("/dashboard/")
        expect(page.get_by_test_id("offer")).not_to_contain_text("Lifetime")
    finally:
        context.close()
