"""The landing page for visitors, in Chromium: the product, its privacy promise in plain words,
a picture of the dashboard (light or dark, as the system is), and nothing fetched elsewhere."""

import pytest
from playwright.sync_api import expect

from progression.tests.dashboard_practice import sign_in, year_of_practice
from tests.page_tour import site_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_visitor_meets_the_product_its_privacy_promise_and_a_picture(
    chromium, live_server, scheme
):
    context = chromium.new_context(base_url=live_server.url, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("every machine you code on")
        promise = page.get_by_role("heading", name="Our privacy promise, in plain words")
        expect(promise).to_be_visible()
        for zone in ("Stays on your machine", "Synced, once you turn it on", "Closed until"):
            expect(page.get_by_role("heading", name=zone)).to_be_visible()
        expect(page.get_by_text("Session logs and times of day")).to_be_visible()
        picture = page.get_by_role("img", name="The dashboard: level and title")
        expect(picture).to_be_visible()
        loaded = picture.evaluate("img => [img.complete && img.naturalWidth, img.currentSrc]")
        assert loaded[0] == 1200
        assert loaded[1].endswith(f"/static/images/dashboard-{scheme}.png")
        page.get_by_role("link", name="Create an account").click()
        expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    finally:
        context.close()


def test_every_page_loads_only_from_this_site(page, live_server, verified_user):
    year_of_practice(verified_user, devices=1, days=30)
    elsewhere = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:"))
            else elsewhere.append(request.url)
        ),
    )
    for path in site_pages():
        page.goto(path)
    sign_in(page, verified_user.email)
    for path in site_pages(user=verified_user):
        page.goto(path)
    assert page.evaluate("document.styleSheets.length") >= 1
    assert not elsewhere


def test_a_signed_in_person_goes_straight_to_their_dashboard(page, verified_user):
    sign_in(page, verified_user.email)
    page.goto("/")
    expect(page).to_have_url(f"{page.url.split('/dashboard/')[0]}/dashboard/")
