"""From the plans page to Checkout (our Stripe double's hosted page) and back, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from billing.models import WebhookEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()


@pytest.fixture
def shop(page, live_server, stripe_on, settings, verified_user):
    """Maya signed in, Stripe's links and webhooks pointing at this live server."""
    settings.SITE_URL = live_server.url
    stripe_on.webhook_url = f"{live_server.url}/billing/stripe/webhook/"
    sign_in(page, verified_user.email, "calm-breath-42")
    return page


def test_plans_to_checkout_and_back_to_billing_on_premium(shop, stripe_on):
    page = shop
    page.goto("/billing/plans/")
    plans = page.get_by_test_id("plans")
    for name in ("Free", "Premium", "Lifetime"):
        expect(plans.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_test_id("plan-free").get_by_test_id("current-plan")).to_be_visible()
    expect(page.get_by_test_id("trial-note")).to_contain_text("The first 14 days are free")

    page.get_by_role("button", name="Start the free trial").click()
    expect(page).to_have_url(re.compile(re.escape(stripe_on.url) + r"/checkout/cs_test_\w+$"))
    expect(page.get_by_text("14 days free, then $4.99 a month.")).to_be_visible()
    page.get_by_role("button", name="Pay").click()

    expect(page).to_have_url(re.compile(r"/billing/$"))
    expect(page.get_by_text("Thank you. Your plan is ready.")).to_be_visible()
    expect(page.get_by_test_id("plan-name")).to_have_text("Premium")
    expect(page.get_by_test_id("plan-status")).to_have_text("Trialing")
    expect(page.get_by_test_id("plan-next")).to_contain_text("Your free trial runs until")
    assert WebhookEvent.objects.filter(type="checkout.session.completed").count() == 1

    page.goto("/billing/plans/")
    expect(page.get_by_test_id("plan-premium").get_by_test_id("current-plan")).to_be_visible()
    expect(page.get_by_role("button", name="Choose Lifetime")).to_be_visible()

    page.goto("/billing/")
    page.get_by_test_id("portal").click()
    expect(page).to_have_url(re.compile(re.escape(stripe_on.url) + r"/portal/bps_\w+$"))
    page.get_by_role("link", name="Return").click()
    expect(page).to_have_url(re.compile(r"/billing/$"))


def test_leaving_checkout_comes_back_with_nothing_charged(shop, stripe_on):
    page = shop
    page.goto("/billing/plans/")
    page.get_by_role("button", name="Choose Lifetime").click()
    expect(page).to_have_url(re.compile(re.escape(stripe_on.url) + r"/checkout/"))
    page.get_by_role("button", name="Back").click()
    expect(page).to_have_url(re.compile(r"/billing/\?checkout=cancelled$"))
    expect(
        page.get_by_text("Checkout was closed before paying. Nothing was charged.")
    ).to_be_visible()
    expect(page.get_by_test_id("plan-name")).to_have_text("Free")


def test_someone_elses_session_on_the_way_back_is_refused_and_changes_nothing(
    shop, stripe_on, stranger, device_client, checkout
):
    page = shop
    theirs = checkout(device_client(stranger), "lifetime")
    stripe_on.checkout_pay(theirs["id"])
    page.goto(f"/billing/?checkout=done&session_id={theirs['id']}")
    expect(page.get_by_text("That checkout is not one of this account's.")).to_be_visible()
    expect(page.get_by_test_id("plan-name")).to_have_text("Free")
