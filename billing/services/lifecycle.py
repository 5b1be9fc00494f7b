"""Billing's part in an account's life: deletion, erasure, the nightly check, closing an offer."""

import logging
from datetime import datetime, timedelta

import stripe
from django.db import IntegrityError, transaction
from django.utils import timezone

from billing import gateway, selectors
from billing.models import Customer, LifetimePurchase, OfferDismissal, Subscription
from billing.plans import PLANS
from billing.services import stripe_state
from breathmaster.api.errors import ApplicationError

logger = logging.getLogger(__name__)

RECONCILE_AFTER = timedelta(days=1)


def subscriptions_cancel_for_deletion(*, user_id) -> int:
    """`DELETE /me`: every live subscription of the account is cancelled at once on Stripe (no
    further charge; a restore within the window starts from Free). Answers how many."""
    customer = Customer.objects.filter(user_id=user_id, stripe_id__isnull=False).first()
    if customer is None:
        return 0
    if not gateway.stripe_enabled():
        logger.error("Stripe is off: subscriptions of %s could not be cancelled", user_id)
        return 0
    cancelled = 0
    for row in Subscription.objects.filter(customer=customer, status__in=selectors.LIVE_STATUSES):
        try:
            gateway.client().v1.subscriptions.cancel(row.stripe_id)
        except stripe.StripeError as error:
            if not gateway.is_missing(error):
                raise
        stripe_state.subscription_refresh(
            subscription_id=row.stripe_id, stripe_customer_id=customer.stripe_id
        )
        cancelled += 1
    return cancelled


def customer_erase(*, user) -> None:
    """Erasure: the Stripe customer is deleted, which removes its personal data on Stripe's side
    (Stripe keeps only what the law makes it keep about past payments); our rows cascade with
    the user. Raises when Stripe cannot be reached, so the erasure is tried again later."""
    customer = Customer.objects.filter(user=user, stripe_id__isnull=False).first()
    if customer is None:
        return
    if not gateway.stripe_enabled():
        logger.error("Stripe is off: customer %s was left on Stripe", customer.stripe_id)
        return
    try:
        gateway.client().v1.customers.delete(customer.stripe_id)
    except stripe.StripeError as error:
        if not gateway.is_missing(error):
            raise


def billing_reconcile(*, now: datetime | None = None, limit: int = 500) -> int:
    """Ask Stripe again about live subscriptions and lifetime purchases last read more than a
    day ago, so a lost webhook is repaired. Safe to run twice at once: each row is claimed with
    SKIP LOCKED and skipped once refreshed. Answers how many rows were read."""
    older_than = (now or timezone.now()) - RECONCILE_AFTER
    done = 0
    for subscription_id in selectors.subscriptions_to_reconcile(older_than=older_than).values_list(
        "pk", flat=True
    )[:limit]:
        done += _reconcile_subscription(subscription_id=subscription_id, older_than=older_than)
    for purchase_id in LifetimePurchase.objects.filter(
        refunded_at__isnull=True, refreshed_at__lt=older_than
    ).values_list("pk", flat=True)[:limit]:
        done += _reconcile_purchase(purchase_id=purchase_id, older_than=older_than)
    return done


@transaction.atomic
def _reconcile_subscription(*, subscription_id: int, older_than: datetime) -> int:
    row = (
        Subscription.objects.select_for_update(skip_locked=True)
        .select_related("customer")
        .filter(pk=subscription_id, refreshed_at__lt=older_than)
        .first()
    )
    if row is None:
        return 0  # another run has it, or already read it
    stripe_state.subscription_refresh(
        subscription_id=row.stripe_id, stripe_customer_id=row.customer.stripe_id
    )
    return 1


@transaction.atomic
def _reconcile_purchase(*, purchase_id: int, older_than: datetime) -> int:
    purchase = (
        LifetimePurchase.objects.select_for_update(skip_locked=True)
        .filter(pk=purchase_id, refreshed_at__lt=older_than)
        .first()
    )
    if purchase is None:
        return 0
    intent = gateway.client().v1.payment_intents.retrieve(purchase.payment_intent_id)
    charge_id = gateway.object_id(gateway.field(intent, "latest_charge"))
    charge = gateway.client().v1.charges.retrieve(charge_id)
    stripe_state.lifetime_refund_store(purchase=purchase, charge=charge)
    return 1


def offer_dismiss(*, user, offer: str) -> None:
    """Close an upgrade offer for good; closing it twice is the same as once."""
    if offer not in PLANS or offer == "free":
        raise ApplicationError(
            "There is no offer by that name.",
            code="unknown_offer",
            errors={"offer": ["Choose premium or lifetime."]},
        )
    try:
        with transaction.atomic():
            OfferDismissal.objects.create(user=user, offer=offer)
    except IntegrityError:
        pass
