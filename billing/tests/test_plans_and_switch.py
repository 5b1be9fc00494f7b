"""Plans list for anyone; with Stripe switched off, nothing can be bought and the pages say so."""

import pytest

from billing.models import Customer
from billing.plans import PLANS
from billing.selectors import entitlements_for


def test_the_three_plans_carry_the_documented_prices_and_history_limits():
    assert PLANS["free"].price_cents == 0
    assert PLANS["premium"].price_cents == 499 and PLANS["premium"].trial_days == 14
    assert PLANS["lifetime"].price_cents == 4999
    assert PLANS["free"].limits["analyticsHistoryDays"] == 30
    assert PLANS["premium"].limits["analyticsHistoryDays"] == 365


@pytest.mark.django_db
def test_a_user_without_a_subscription_is_on_free(verified_user):
    assert entitlements_for(user=verified_user)["tier"] == "free"


@pytest.mark.django_db
def test_plans_list_without_a_token_in_the_contracts_shape(api):
    answer = api.get("/api/v1/billing/plans")
    assert answer.status_code == 200
    plans = {plan["key"]: plan for plan in answer.json()["results"]}
    assert list(plans) == ["free", "premium", "lifetime"]
    assert plans["premium"] == {
        "key": "premium",
        "name": "Premium",
        "priceCents": 499,
        "currency": "usd",
        "interval": "month",
        "trialDays": 14,
        "features": PLANS["premium"].features,
        "limits": PLANS["premium"].limits,
    }
    assert plans["lifetime"]["priceCents"] == 4999 and plans["lifetime"]["interval"] is None


@pytest.mark.django_db
def test_with_stripe_off_checkout_and_portal_answer_billing_unavailable(
    verified_user, device_client, settings
):
    settings.STRIPE_ENABLED = False
    client = device_client(verified_user)
    nothing_to_manage = client.post("/api/v1/billing/portal")
    assert nothing_to_manage.status_code == 400
    assert nothing_to_manage.json()["code"] == "no_billing_account"
    # Someone who paid while Stripe was on still has a portal to reach, just not now.
    Customer.objects.create(user=verified_user, stripe_id="cus_from_before")
    for path, body in (
        ("/api/v1/billing/checkout", {"plan": "premium"}),
        ("/api/v1/billing/portal", None),
    ):
        answer = client.post(path, body, format="json")
        assert answer.status_code == 503
        assert answer.json()["code"] == "billing_unavailable"
    assert client.get("/api/v1/billing/plans").status_code == 200
    assert client.get("/api/v1/me").json()["billing"]["status"] == "free"


@pytest.mark.django_db
def test_with_stripe_off_the_pages_say_payments_are_not_set_up(client, verified_user, settings):
    settings.STRIPE_ENABLED = False
    client.force_login(verified_user)
    plans = client.get("/billing/plans/")
    assert plans.status_code == 200
    assert b"Payments are not set up" in plans.content
    assert b"choose-premium" not in plans.content  # no button that could only fail
    page = client.get("/billing/")
    assert b"Payments are not set up" in page.content
    assert b"Free" in page.content


@pytest.mark.django_db
def test_checkout_and_portal_need_a_token(api):
    assert (
        api.post("/api/v1/billing/checkout", {"plan": "premium"}, format="json").status_code == 401
    )
    assert api.post("/api/v1/billing/portal").status_code == 401
