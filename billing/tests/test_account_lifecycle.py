"""Deleting an account cancels its subscription at once; erasing it deletes the Stripe customer;
the nightly reconciliation repairs what a lost webhook left behind (in a real worker)."""

import time
from datetime import timedelta

import pytest
import stripe
from django.utils import timezone

from accounts.models import DeletionRequest
from accounts.tasks import erase_due_accounts
from billing.models import Customer, Subscription
from billing.tasks import reconcile_subscriptions


@pytest.mark.django_db
def test_deleting_the_account_cancels_the_subscription_at_once(
    verified_user, device_client, checkout, pay, stripe_on, django_capture_on_commit_callbacks
):
    client = device_client(verified_user)
    subscription_id = pay(checkout(client, "premium"))["subscription"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete("/api/v1/me").status_code == 202
    assert stripe_on.localstripe.v1.subscriptions.retrieve(subscription_id).status == "canceled"
    assert Subscription.objects.get(stripe_id=subscription_id).status == "canceled"


@pytest.mark.django_db
def test_erasure_deletes_the_customer_on_stripe_and_every_billing_row(
    verified_user, device_client, checkout, pay, stripe_on, django_capture_on_commit_callbacks
):
    client = device_client(verified_user)
    pay(checkout(client, "lifetime"))
    client.post("/api/v1/billing/offer/dismiss", {"offer": "lifetime"}, format="json")
    customer_id = Customer.objects.get(user=verified_user).stripe_id
    assert stripe_on.localstripe.v1.customers.retrieve(customer_id).email == verified_user.email
    with django_capture_on_commit_callbacks(execute=True):
        client.delete("/api/v1/me")
    DeletionRequest.objects.update(scheduled_for=timezone.now() - timedelta(seconds=1))
    assert erase_due_accounts() == 1
    with pytest.raises(stripe.InvalidRequestError) as gone:
        stripe_on.localstripe.v1.customers.retrieve(customer_id)
    assert gone.value.http_status == 404
    from billing import models

    for model in (models.Customer, models.LifetimePurchase, models.OfferDismissal):
        assert not model.objects.exists(), model


@pytest.mark.django_db
def test_erasure_waits_while_stripe_cannot_be_reached(
    verified_user, device_client, checkout, stripe_on, settings, django_capture_on_commit_callbacks
):
    client = device_client(verified_user)
    checkout(client, "premium")
    with django_capture_on_commit_callbacks(execute=True):
        client.delete("/api/v1/me")
    DeletionRequest.objects.update(scheduled_for=timezone.now() - timedelta(seconds=1))
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    with pytest.raises(stripe.APIConnectionError):
        erase_due_accounts()
    assert Customer.objects.filter(user=verified_user).exists()  # tried again on the next run
    settings.STRIPE_API_BASE = stripe_on.url
    assert erase_due_accounts() == 1


@pytest.mark.django_db(transaction=True)
def test_the_nightly_reconciliation_in_a_worker_repairs_a_lost_webhook(
    verified_user, friend, device_client, checkout, pay, stripe_on, celery_worker
):
    """Both subscriptions end on Stripe and no webhook arrives: the one last read two days ago
    is asked about and repaired; the one read today is left for tomorrow's run."""
    maya, theo = device_client(verified_user), device_client(friend)
    stale = pay(checkout(maya, "premium"))["subscription"]
    recent = pay(checkout(theo, "premium"))["subscription"]
    for subscription_id in (stale, recent):
        stripe_on.advance_subscription(subscription_id, "canceled")
    Subscription.objects.filter(stripe_id=stale).update(
        refreshed_at=timezone.now() - timedelta(days=2)
    )
    assert maya.get("/api/v1/me").json()["tier"] == "premium"
    reconcile_subscriptions.delay()
    _wait_for(lambda: Subscription.objects.get(stripe_id=stale).status == "canceled")
    assert maya.get("/api/v1/me").json()["tier"] == "free"
    assert Subscription.objects.get(stripe_id=recent).status == "trialing"


def _wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("the worker did not get there in time")
