"""Checkout and the portal through the API, with the real SDK against Stripe on loopback."""

import pytest

from billing.models import Customer, LifetimePurchase, Subscription

pytestmark = pytest.mark.django_db


def test_premium_checkout_is_a_subscription_with_the_trial_that_comes_back_to_billing(
    verified_user, device_client, checkout, stripe_on
):
    client = device_client(verified_user)
    session = checkout(client, "premium")
    assert session["mode"] == "subscription"
    assert session["_price"] == "price_breathmaster_premium"
    assert session["_trial_days"] == "14"
    assert session["url"].startswith(stripe_on.url + "/checkout/cs_test_")
    assert session["success_url"].endswith(
        "/billing/?checkout=done&session_id={CHECKOUT_SESSION_ID}"
    )
    assert session["cancel_url"].endswith("/billing/?checkout=cancelled")
    customer = Customer.objects.get(user=verified_user)
    assert session["customer"] == customer.stripe_id
    assert session["client_reference_id"] == str(verified_user.pk)
    stripe_customer = stripe_on.localstripe.v1.customers.retrieve(customer.stripe_id)
    assert stripe_customer.metadata["user_id"] == str(verified_user.pk)


def test_lifetime_checkout_is_a_one_time_payment(verified_user, device_client, checkout, pay):
    client = device_client(verified_user)
    session = checkout(client, "lifetime")
    assert session["mode"] == "payment" and session["amount_total"] == 4999
    pay(session)
    assert client.get("/api/v1/me").json()["tier"] == "lifetime"
    purchase = LifetimePurchase.objects.get(customer__user=verified_user)
    assert purchase.amount_cents == 4999


def test_one_customer_for_every_checkout_of_a_person(verified_user, device_client, checkout):
    client = device_client(verified_user)
    first = checkout(client, "premium")
    second = checkout(client, "lifetime")
    assert first["customer"] == second["customer"]
    assert Customer.objects.filter(user=verified_user).count() == 1


def test_the_trial_is_offered_once_per_person_ever(
    verified_user, device_client, checkout, pay, deliver, stripe_on
):
    client = device_client(verified_user)
    paid = pay(checkout(client, "premium"))
    subscription_id = paid["subscription"]
    cancelled = stripe_on.advance_subscription(subscription_id, "canceled")
    assert deliver("customer.subscription.deleted", cancelled).status_code == 200
    assert client.get("/api/v1/me").json()["tier"] == "free"
    again = checkout(client, "premium")
    assert again["_trial_days"] is None


def test_without_a_verified_email_checkout_is_refused_and_nothing_is_made(
    anonymous_user, device_client, stripe_on
):
    client = device_client(anonymous_user)
    answer = client.post("/api/v1/billing/checkout", {"plan": "premium"}, format="json")
    assert answer.status_code == 403
    assert answer.json()["code"] == "email_required"
    assert not Customer.objects.exists()
    assert client.post("/api/v1/billing/portal").json()["code"] == "email_required"


@pytest.mark.parametrize("plan", ["gold", "free", "", "PREMIUM"])
def test_an_unknown_plan_is_a_clear_400_and_nothing_is_made(
    verified_user, device_client, stripe_on, plan
):
    client = device_client(verified_user)
    answer = client.post("/api/v1/billing/checkout", {"plan": plan}, format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] in ("unknown_plan", "invalid")
    assert "plan" in answer.json()["errors"]
    assert not Customer.objects.exists()
    assert not stripe_on.sessions or all(
        s["client_reference_id"] != str(verified_user.pk) for s in stripe_on.sessions.values()
    )


def test_buying_what_one_has_is_already_subscribed(verified_user, device_client, checkout, pay):
    client = device_client(verified_user)
    pay(checkout(client, "premium"))
    answer = client.post("/api/v1/billing/checkout", {"plan": "premium"}, format="json")
    assert answer.status_code == 400 and answer.json()["code"] == "already_subscribed"
    pay(checkout(client, "lifetime"))  # an upgrade is allowed
    for plan in ("premium", "lifetime"):
        answer = client.post("/api/v1/billing/checkout", {"plan": plan}, format="json")
        assert answer.json()["code"] == "already_subscribed"


def test_the_portal_opens_for_a_customer_and_returns_to_billing(
    verified_user, device_client, checkout, stripe_on
):
    client = device_client(verified_user)
    nothing_yet = client.post("/api/v1/billing/portal")
    assert nothing_yet.status_code == 400 and nothing_yet.json()["code"] == "no_billing_account"
    checkout(client, "premium")
    answer = client.post("/api/v1/billing/portal")
    assert answer.status_code == 201
    portal = stripe_on.portal_sessions[answer.json()["url"].rsplit("/", 1)[1]]
    assert portal["customer"] == Customer.objects.get(user=verified_user).stripe_id
    assert portal["return_url"].endswith("/billing/")


def test_lifetime_while_on_premium_cancels_at_once_and_refunds_the_unused_part(
    verified_user, device_client, checkout, pay, deliver, stripe_on
):
    """A paid month, then Lifetime: the subscription ends now, the unused days come back."""
    client = device_client(verified_user)
    customer_id = checkout(client, "lifetime")["customer"]  # the customer, made once
    # A Premium month already paid (no trial): made on Stripe directly, as a renewal would be.
    method = stripe_on.localstripe.v1.payment_methods.create(
        params={"type": "card", "card": {"number": "4242424242424242", "exp_month": 1,
                                         "exp_year": 2035, "cvc": "123"}}
    )  # fmt: skip
    stripe_on.localstripe.v1.payment_methods.attach(method.id, params={"customer": customer_id})
    stripe_on.localstripe.v1.customers.update(
        customer_id, params={"invoice_settings": {"default_payment_method": method.id}}
    )
    subscription = stripe_on.localstripe.v1.subscriptions.create(
        params={"customer": customer_id, "items": [{"plan": "price_breathmaster_premium"}]}
    )
    assert subscription.status == "active"
    deliver("customer.subscription.created", subscription.to_dict())
    assert client.get("/api/v1/me").json()["billing"]["status"] == "active"

    session = [s for s in stripe_on.sessions.values() if s["customer"] == customer_id][-1]
    pay(session)

    assert stripe_on.localstripe.v1.subscriptions.retrieve(subscription.id).status == "canceled"
    assert Subscription.objects.get(stripe_id=subscription.id).status == "canceled"
    latest_invoice = stripe_on.localstripe.v1.invoices.list(
        params={"subscription": subscription.id}
    ).data[0]
    refunds = stripe_on.localstripe.v1.refunds.list(
        params={"payment_intent": latest_invoice.payment_intent}
    ).data
    assert len(refunds) == 1
    assert 480 <= refunds[0].amount <= 499  # nearly the whole month was unused
    me = client.get("/api/v1/me").json()
    assert me["tier"] == "lifetime" and me["billing"]["status"] == "lifetime"
