"""The billing page: plan, status, next charge, the portal button, and invoices from Stripe."""

import re

import pytest

pytestmark = pytest.mark.django_db

CARD = {"number": "4242424242424242", "exp_month": 1, "exp_year": 2035, "cvc": "123"}


def _paid_month(stripe_on, customer_id: str):
    """An active Premium subscription whose first month Stripe has charged."""
    method = stripe_on.localstripe.v1.payment_methods.create(params={"type": "card", "card": CARD})
    stripe_on.localstripe.v1.payment_methods.attach(method.id, params={"customer": customer_id})
    stripe_on.localstripe.v1.customers.update(
        customer_id, params={"invoice_settings": {"default_payment_method": method.id}}
    )
    return stripe_on.localstripe.v1.subscriptions.create(
        params={"customer": customer_id, "items": [{"plan": "price_breathmaster_premium"}]}
    )


def test_an_active_plan_shows_its_next_charge_the_portal_and_its_invoices(
    client, verified_user, device_client, checkout, deliver, stripe_on
):
    customer_id = checkout(device_client(verified_user), "lifetime")["customer"]
    subscription = _paid_month(stripe_on, customer_id)
    deliver("customer.subscription.created", subscription.to_dict())
    client.force_login(verified_user)
    page = client.get("/billing/").content.decode()
    assert 'data-testid="plan-name">Premium<' in page
    assert "Next charge:" in page
    assert 'data-testid="portal"' in page
    assert 'data-testid="invoices"' in page
    assert "4.99 USD" in page and "Paid" in page


def test_a_new_account_has_no_invoices_and_no_portal_yet(client, verified_user, stripe_on):
    client.force_login(verified_user)
    page = client.get("/billing/").content.decode()
    assert 'data-testid="no-invoices"' in page
    assert 'data-testid="portal"' not in page
    assert 'data-testid="plan-name">Free<' in page


def test_when_stripe_cannot_be_asked_the_page_still_shows_the_plan(
    client, verified_user, device_client, checkout, stripe_on, settings
):
    checkout(device_client(verified_user), "premium")
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    client.force_login(verified_user)
    answer = client.get("/billing/")
    assert answer.status_code == 200
    assert b"could not be loaded just now" in answer.content


def test_the_billing_page_needs_a_sign_in(client):
    answer = client.get("/billing/")
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_the_page_shows_the_same_calm_offer_as_the_dashboard_where_the_ladder_allows(
    client, verified_user, device_client, stripe_on
):
    extension = device_client(verified_user)
    client.force_login(verified_user)
    baseline = {"days": [], "baseline": {"xp": 999, "sessions": 40, "minutes": 400}}
    assert extension.post("/api/v1/sync", baseline, format="json").status_code == 200  # level 6
    assert 'data-testid="offer"' not in client.get("/billing/").content.decode()

    baseline["baseline"]["xp"] = 1000  # level 7: Premium is offered
    assert extension.post("/api/v1/sync", baseline, format="json").status_code == 200
    cards = []
    for path in ("/billing/", "/dashboard/"):
        page = client.get(path).content.decode()
        start = page.index('<section class="card offer"')
        cards.append(page[start : page.index("</section>", start)])
    csrf = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    billing_card, dashboard_card = (csrf.sub("<csrf>", card) for card in cards)
    assert "Premium: $4.99 a month, the first 14 days free." in billing_card
    assert 'name="offer" value="premium"' in billing_card
    # One card: the dashboard's adds only what the plan would unlock.
    adds = re.compile(r'<p class="muted">Premium adds:</p><ul data-testid="offer-adds">.*?</ul>')
    assert adds.search(dashboard_card)
    assert adds.sub("", dashboard_card) == billing_card
