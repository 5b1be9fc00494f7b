"""The webhook, the pretix way: signed, once per event id, the object fetched again from Stripe."""

import json
import time

import pytest
from django.utils import timezone

from billing.models import LifetimePurchase, Subscription, WebhookEvent
from billing.plans import PAST_DUE_GRACE
from billing.testing.signing import event_payload, stripe_signature

pytestmark = pytest.mark.django_db
WEBHOOK = "/billing/stripe/webhook/"


def _post(api, payload: str, signature: str | None):
    headers = {"HTTP_STRIPE_SIGNATURE": signature} if signature is not None else {}
    return api.generic("POST", WEBHOOK, payload, content_type="application/json", **headers)


@pytest.fixture
def subscribed(verified_user, device_client, checkout, pay):
    """Maya on Premium's trial, and her API client."""
    client = device_client(verified_user)
    session = pay(checkout(client, "premium"))
    return client, session["subscription"]


def test_bad_missing_or_stale_signatures_are_400_and_store_nothing(api, stripe_on, subscribed):
    client, subscription_id = subscribed
    events_before = WebhookEvent.objects.count()
    stripe_on.advance_subscription(subscription_id, "canceled")
    payload = event_payload("customer.subscription.deleted", {"id": subscription_id})
    stale = int(time.time()) - 301
    for signature in (
        None,
        "",
        "t=1,v1=deadbeef",
        stripe_signature(payload, "whsec_someone_else"),
        stripe_signature(payload, stripe_on.webhook_secret, timestamp=stale),
        stripe_signature(payload + " ", stripe_on.webhook_secret),
    ):
        answer = _post(api, payload, signature)
        assert answer.status_code == 400, signature
        assert answer.json()["code"] == "invalid_signature"
    assert WebhookEvent.objects.count() == events_before
    assert client.get("/api/v1/me").json()["tier"] == "premium"  # nothing changed
    good = _post(api, payload, stripe_signature(payload, stripe_on.webhook_secret))
    assert good.status_code == 200
    assert client.get("/api/v1/me").json()["tier"] == "free"


def test_an_event_id_seen_before_changes_nothing(deliver, stripe_on, subscribed):
    client, subscription_id = subscribed
    stripe_on.advance_subscription(subscription_id, "canceled")
    first = deliver("customer.subscription.deleted", {"id": subscription_id}, event_id="evt_once")
    assert first.json()["outcome"] == "subscription canceled"
    row = Subscription.objects.get(stripe_id=subscription_id)
    again = deliver("customer.subscription.deleted", {"id": subscription_id}, event_id="evt_once")
    assert again.status_code == 200 and again.json()["outcome"].startswith("duplicate")
    assert WebhookEvent.objects.filter(stripe_id="evt_once").count() == 1
    assert Subscription.objects.get(pk=row.pk).refreshed_at == row.refreshed_at


def test_the_event_body_is_only_a_trigger_stripes_current_object_decides(deliver, subscribed):
    """A forged-looking body (signed, but claiming 'active') cannot beat what Stripe says."""
    client, subscription_id = subscribed
    lie = {"id": subscription_id, "object": "subscription", "status": "canceled"}
    deliver("customer.subscription.updated", lie)
    assert client.get("/api/v1/me").json()["billing"]["status"] == "trialing"


def test_types_we_do_not_act_on_are_200_and_recorded(deliver, subscribed):
    answer = deliver("customer.updated", {"id": "cus_whatever", "object": "customer"})
    assert answer.status_code == 200
    assert answer.json()["outcome"].startswith("ignored")
    assert WebhookEvent.objects.filter(type="customer.updated").exists()


def test_someone_elses_customer_or_subscription_changes_nothing(
    deliver, stripe_on, subscribed, stranger, device_client, checkout
):
    client, subscription_id = subscribed
    stranger_customer = checkout(device_client(stranger), "premium")["customer"]
    stripe_on.advance_subscription(subscription_id, "canceled")
    # The stranger's customer id with Maya's subscription: refused after the refetch.
    answer = deliver(
        "customer.subscription.deleted", {"id": subscription_id, "customer": stranger_customer}
    )
    assert answer.status_code == 200
    assert "another customer" in answer.json()["outcome"]
    assert Subscription.objects.get(stripe_id=subscription_id).status == "trialing"
    unknown = deliver("customer.subscription.deleted", {"id": "sub_x", "customer": "cus_nobody"})
    assert "not one of our customers" in unknown.json()["outcome"]


def test_a_completed_session_of_someone_else_is_not_applied_to_this_account(
    deliver, stripe_on, verified_user, stranger, device_client, checkout
):
    maya_session = checkout(device_client(verified_user), "lifetime")
    stranger_customer = checkout(device_client(stranger), "lifetime")["customer"]
    stripe_on.checkout_pay(maya_session["id"])
    forged = {**stripe_on.public(maya_session), "customer": stranger_customer}
    answer = deliver("checkout.session.completed", forged)
    assert "another customer" in answer.json()["outcome"]
    assert not LifetimePurchase.objects.exists()


def test_a_failed_payment_keeps_premium_through_the_grace_period_then_free(
    deliver, stripe_on, subscribed
):
    client, subscription_id = subscribed
    stripe_on.advance_subscription(subscription_id, "past_due")
    deliver("invoice.payment_failed", {"id": _invoice_of(stripe_on, subscription_id)})
    me = client.get("/api/v1/me").json()
    assert me["tier"] == "premium" and me["billing"]["status"] == "past_due"
    # The grace period runs out while Stripe still retries: Free.
    Subscription.objects.filter(stripe_id=subscription_id).update(
        past_due_since=timezone.now() - PAST_DUE_GRACE - timezone.timedelta(minutes=1)
    )
    assert client.get("/api/v1/me").json()["tier"] == "free"
    # The card is updated and the invoice paid: Premium again, the grace clock reset.
    stripe_on.advance_subscription(subscription_id, "active")
    deliver("invoice.paid", {"id": _invoice_of(stripe_on, subscription_id)})
    assert client.get("/api/v1/me").json()["billing"]["status"] == "active"
    assert Subscription.objects.get(stripe_id=subscription_id).past_due_since is None
    # Stripe gives up after its retries: Free at once.
    stripe_on.advance_subscription(subscription_id, "unpaid")
    deliver("customer.subscription.updated", {"id": subscription_id})
    assert client.get("/api/v1/me").json()["tier"] == "free"


def test_a_refunded_lifetime_payment_drops_lifetime(
    verified_user, device_client, checkout, pay, deliver, stripe_on
):
    client = device_client(verified_user)
    session = pay(checkout(client, "lifetime"))
    assert client.get("/api/v1/me").json()["tier"] == "lifetime"
    intent = stripe_on.localstripe.v1.payment_intents.retrieve(session["payment_intent"])
    refund = stripe_on.localstripe.v1.refunds.create(params={"payment_intent": intent.id})
    charge = stripe_on.localstripe.v1.charges.retrieve(refund.charge)
    assert charge.refunded is True
    answer = deliver("charge.refunded", charge.to_dict())
    assert answer.json()["outcome"] == "lifetime purchase refunded"
    assert client.get("/api/v1/me").json()["tier"] == "free"
    # The completed session arriving late does not bring Lifetime back.
    deliver("checkout.session.completed", session)
    assert client.get("/api/v1/me").json()["tier"] == "free"


def test_when_stripe_cannot_be_reached_the_answer_is_5xx_and_the_event_is_kept_for_the_retry(
    deliver, stripe_on, subscribed, settings
):
    client, subscription_id = subscribed
    stripe_on.advance_subscription(subscription_id, "canceled")
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens on the discard port
    answer = deliver("customer.subscription.deleted", {"id": subscription_id}, event_id="evt_r")
    assert answer.status_code == 503
    assert not WebhookEvent.objects.filter(stripe_id="evt_r").exists()
    settings.STRIPE_API_BASE = stripe_on.url
    retried = deliver("customer.subscription.deleted", {"id": subscription_id}, event_id="evt_r")
    assert retried.status_code == 200
    assert client.get("/api/v1/me").json()["tier"] == "free"


def test_a_malformed_body_with_a_valid_signature_is_400(api, stripe_on):
    payload = "{not json"
    answer = _post(api, payload, stripe_signature(payload, stripe_on.webhook_secret))
    assert answer.status_code == 400
    assert json.loads(answer.content)["code"] == "invalid_signature"


def _invoice_of(stripe_on, subscription_id: str) -> str:
    invoices = stripe_on.localstripe.v1.invoices.list(params={"subscription": subscription_id})
    if invoices.data:
        return invoices.data[0].id
    subscription = stripe_on.localstripe.v1.subscriptions.retrieve(subscription_id)
    invoice = stripe_on.localstripe.v1.invoices.create(
        params={"customer": subscription.customer, "subscription": subscription_id}
    )
    return invoice.id


def test_a_subscription_stripe_no_longer_has_ends_here_too(
    deliver, verified_user, checkout, device_client
):
    client = device_client(verified_user)
    customer_id = checkout(client, "premium")["customer"]
    from billing.models import Customer

    Subscription.objects.create(
        customer=Customer.objects.get(stripe_id=customer_id), stripe_id="sub_gone", status="active"
    )
    assert client.get("/api/v1/me").json()["tier"] == "premium"
    answer = deliver("customer.subscription.updated", {"id": "sub_gone", "customer": customer_id})
    assert answer.json()["outcome"] == "subscription gone from Stripe: ended"
    assert client.get("/api/v1/me").json()["tier"] == "free"
