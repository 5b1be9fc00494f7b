"""Applying what Stripe says now to our copy, one customer at a time.

Every function here takes ids, locks the customer's row, fetches the object from Stripe again and
only then writes: whatever order events arrive in, the last writer wrote the newest truth, and two
handlers for one customer never interleave. Stripe errors that mean "try again" propagate (the
webhook answers 5xx so Stripe retries); "no such object" is an answer like any other.
"""

import logging
import math

import stripe
from django.db import transaction
from django.utils import timezone

from billing import gateway
from billing.models import Customer, LifetimePurchase, Subscription, SubscriptionStatus
from billing.selectors import LIVE_STATUSES

logger = logging.getLogger(__name__)


def customer_lock(*, stripe_customer_id: str | None) -> Customer | None:
    """Our customer for a Stripe customer id, locked for this transaction; None if not ours."""
    if not stripe_customer_id:
        return None
    return Customer.objects.select_for_update().filter(stripe_id=stripe_customer_id).first()


def customer_lock_for(*, stripe_customer_id: str | None, fetch) -> Customer | None:
    """Lock our customer named by the event, or, when the event names none, by the object."""
    if not stripe_customer_id:
        found = _fetch(fetch)
        stripe_customer_id = gateway.object_id(gateway.field(found, "customer")) if found else None
    return customer_lock(stripe_customer_id=stripe_customer_id)


def subscription_store(*, customer: Customer, subscription) -> str:
    """Write a freshly fetched Stripe subscription; ended ones are never brought back."""
    row = Subscription.objects.filter(stripe_id=subscription.id).first()
    if row and row.customer_id != customer.pk:
        return "ignored: the subscription belongs to another customer"
    if row and row.is_ended:
        return "ignored: the subscription has already ended"
    row = row or Subscription(customer=customer, stripe_id=subscription.id)
    now = timezone.now()
    period_end = gateway.subscription_period_end(subscription)
    row.status = subscription.status
    row.trial_end = gateway.stripe_time(gateway.field(subscription, "trial_end"))
    row.current_period_end = period_end
    row.cancel_at = gateway.stripe_time(gateway.field(subscription, "cancel_at")) or (
        period_end if gateway.field(subscription, "cancel_at_period_end") else None
    )
    row.ended_at = gateway.stripe_time(gateway.field(subscription, "ended_at"))
    if row.status == SubscriptionStatus.PAST_DUE:
        row.past_due_since = row.past_due_since or now
    else:
        row.past_due_since = None
    row.refreshed_at = now
    row.save()
    if row.trial_end and not customer.trial_used_at:
        customer.trial_used_at = now
        customer.save(update_fields=["trial_used_at"])
    return f"subscription {row.status}"


@transaction.atomic
def subscription_refresh(*, subscription_id: str, stripe_customer_id: str | None) -> tuple:
    """Fetch one subscription from Stripe and store it; answers (outcome, customer or None)."""
    fetch = lambda api: api.subscriptions.retrieve(subscription_id)  # noqa: E731
    customer = customer_lock_for(stripe_customer_id=stripe_customer_id, fetch=fetch)
    if customer is None:
        return "ignored: not one of our customers", None
    subscription = _fetch(fetch)
    if subscription is None:
        return subscription_forget(customer=customer, subscription_id=subscription_id), customer
    if gateway.object_id(subscription.customer) != customer.stripe_id:
        return "ignored: the subscription belongs to another customer", customer
    return subscription_store(customer=customer, subscription=subscription), customer


def subscription_forget(*, customer: Customer, subscription_id: str) -> str:
    """Stripe has no such subscription (deleted with its customer, say): ours has ended too."""
    ended = Subscription.objects.filter(
        customer=customer, stripe_id=subscription_id, status__in=LIVE_STATUSES
    ).update(
        status=SubscriptionStatus.CANCELED, ended_at=timezone.now(), refreshed_at=timezone.now()
    )
    return (
        "subscription gone from Stripe: ended"
        if ended
        else "ignored: Stripe has no such subscription"
    )


@transaction.atomic
def checkout_session_apply(*, session_id: str, stripe_customer_id: str | None) -> tuple:
    """A finished Checkout: store the subscription, or the lifetime purchase it paid for."""
    fetch = lambda api: api.checkout.sessions.retrieve(session_id)  # noqa: E731
    customer = customer_lock_for(stripe_customer_id=stripe_customer_id, fetch=fetch)
    if customer is None:
        return "ignored: not one of our customers", None
    session = _fetch(fetch)
    if session is None:
        return "ignored: Stripe no longer has this session", customer
    if gateway.object_id(session.customer) != customer.stripe_id or (
        session.client_reference_id != str(customer.user_id)
    ):
        return "ignored: the session belongs to another customer", customer
    if session.status != "complete":
        return f"ignored: the session is {session.status}", customer
    if session.mode == "subscription":
        subscription = gateway.client().v1.subscriptions.retrieve(
            gateway.object_id(session.subscription)
        )
        return subscription_store(customer=customer, subscription=subscription), customer
    if session.mode == "payment" and session.payment_status == "paid":
        return lifetime_store(customer=customer, session=session), customer
    return "ignored: nothing was paid", customer


def lifetime_store(*, customer: Customer, session) -> str:
    """Record a paid lifetime purchase once; a premium subscription then ends at once."""
    intent_id = gateway.object_id(session.payment_intent)
    intent = gateway.client().v1.payment_intents.retrieve(intent_id)
    if intent.status != "succeeded" or gateway.object_id(intent.customer) != customer.stripe_id:
        return f"ignored: the payment is {intent.status}"
    purchase, created = LifetimePurchase.objects.get_or_create(
        checkout_session_id=session.id,
        defaults={
            "customer": customer,
            "payment_intent_id": intent_id,
            "amount_cents": intent.amount,
        },
    )
    charge_id = gateway.object_id(gateway.field(intent, "latest_charge"))
    if charge_id:
        lifetime_refund_store(
            purchase=purchase, charge=gateway.client().v1.charges.retrieve(charge_id)
        )
    if purchase.refunded_at:
        return "lifetime purchase refunded"
    subscriptions_end_for_lifetime(customer=customer)
    return "lifetime purchase stored" if created else "lifetime purchase already stored"


def subscriptions_end_for_lifetime(*, customer: Customer) -> None:
    """Buying Lifetime while on Premium: the subscription is cancelled at once, and the unused
    part of a paid period is refunded to the card, prorated by the second.

    A refund rather than a credit: a credit sits on the Stripe customer's balance and only
    future invoices use it up, and someone on Lifetime never gets another invoice, so a credit
    would be money they could never use. A trial has nothing to refund. The idempotency key
    makes a second run (a redelivered event) refund nothing twice.
    """
    api = gateway.client().v1
    for row in Subscription.objects.filter(customer=customer, status__in=LIVE_STATUSES):
        subscription = api.subscriptions.retrieve(row.stripe_id)
        if subscription.status in LIVE_STATUSES:
            refund_cents, intent_id = _unused_paid_part(subscription)
            subscription = api.subscriptions.cancel(row.stripe_id)
            if refund_cents and intent_id:
                api.refunds.create(
                    params={"payment_intent": intent_id, "amount": refund_cents},
                    options={"idempotency_key": f"breathmaster-lifetime-switch-{row.stripe_id}"},
                )
        subscription_store(customer=customer, subscription=subscription)


def _unused_paid_part(subscription) -> tuple[int, str | None]:
    """(cents not yet used of the last paid invoice, its payment intent) for an active period."""
    if subscription.status != SubscriptionStatus.ACTIVE:
        return 0, None
    start = gateway.subscription_period_start(subscription)
    end = gateway.subscription_period_end(subscription)
    api = gateway.client().v1
    listed = api.invoices.list(params={"subscription": subscription.id, "limit": 10}).data
    invoices = [invoice for invoice in listed if invoice.status == "paid" and invoice.amount_paid]
    if not invoices or not start or not end or end <= start:
        return 0, None
    invoice = max(invoices, key=lambda inv: inv.created)
    payments = api.invoice_payments.list(params={"invoice": invoice.id}).data
    intent_id = next(
        (gateway.object_id(p.payment.payment_intent) for p in payments if p.status == "paid"),
        None,
    )
    unused = (end - timezone.now()) / (end - start)
    return math.floor(invoice.amount_paid * min(max(unused, 0), 1)), intent_id


def lifetime_refund_store(*, purchase: LifetimePurchase, charge) -> str:
    """A fully refunded lifetime payment ends Lifetime; a partial refund (a goodwill gesture)
    leaves it. Once refunded, a later, older-looking answer does not restore it."""
    purchase.refreshed_at = timezone.now()
    if purchase.refunded_at is None and charge.refunded:
        purchase.refunded_at = timezone.now()
    purchase.save(update_fields=["refreshed_at", "refunded_at"])
    return "lifetime purchase refunded" if purchase.refunded_at else "refund kept Lifetime"


@transaction.atomic
def charge_refresh(*, charge_id: str, stripe_customer_id: str | None) -> tuple:
    fetch = lambda api: api.charges.retrieve(charge_id)  # noqa: E731
    customer = customer_lock_for(stripe_customer_id=stripe_customer_id, fetch=fetch)
    if customer is None:
        return "ignored: not one of our customers", None
    charge = _fetch(fetch)
    if charge is None:
        return "ignored: Stripe no longer has this charge", customer
    intent_id = gateway.object_id(gateway.field(charge, "payment_intent"))
    purchase = LifetimePurchase.objects.filter(
        customer=customer, payment_intent_id=intent_id
    ).first()
    if purchase is None:
        return "ignored: not a lifetime payment", customer
    return lifetime_refund_store(purchase=purchase, charge=charge), customer


def invoice_subscription_id(invoice) -> str | None:
    """The invoice's subscription: under `parent` since 2025, at the top level before."""
    details = gateway.field(gateway.field(invoice, "parent"), "subscription_details")
    return gateway.object_id(gateway.field(details, "subscription")) or gateway.object_id(
        gateway.field(invoice, "subscription")
    )


def invoice_refresh(*, invoice_id: str, stripe_customer_id: str | None) -> tuple:
    invoice = _fetch(lambda api: api.invoices.retrieve(invoice_id))
    if invoice is None:
        return "ignored: Stripe no longer has this invoice", None
    subscription_id = invoice_subscription_id(invoice)
    if not subscription_id:
        return "ignored: not a subscription invoice", None
    return subscription_refresh(
        subscription_id=subscription_id, stripe_customer_id=stripe_customer_id
    )


def _fetch(call):
    """Stripe's current object, or None when Stripe says it does not exist."""
    try:
        return call(gateway.client().v1)
    except stripe.StripeError as error:
        if gateway.is_missing(error):
            return None
        raise
