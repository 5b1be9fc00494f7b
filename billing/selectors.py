"""Reads: what a person may do (their tier), what `/me` shows of billing, and the upgrade offer.

Every app asks `entitlements_for(user=...)` for features and limits; the answer comes from our
copy of Stripe's state (kept fresh by webhooks and the nightly reconciliation), a lifetime
purchase, or a staff grant, whichever gives the most.
"""

import logging
from datetime import datetime

import stripe
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from billing import extensions, gateway
from billing.models import (
    Customer,
    LifetimePurchase,
    OfferDismissal,
    StaffGrant,
    Subscription,
    SubscriptionStatus,
    WebhookEvent,
)
from billing.plans import FREE, LIFETIME, OFFER_LADDER, PAST_DUE_GRACE, PLANS, PREMIUM, Plan
from breathmaster.timestamps import iso

logger = logging.getLogger(__name__)

# Statuses in which a subscription still exists for Stripe (it may bill again).
LIVE_STATUSES = (
    SubscriptionStatus.TRIALING,
    SubscriptionStatus.ACTIVE,
    SubscriptionStatus.PAST_DUE,
    SubscriptionStatus.UNPAID,
    SubscriptionStatus.INCOMPLETE,
    SubscriptionStatus.PAUSED,
)


def plan_list() -> list[Plan]:
    return sorted(PLANS.values(), key=lambda plan: plan.rank)


def customer_for(*, user) -> Customer | None:
    return Customer.objects.filter(user=user).first()


def subscription_live(*, user) -> Subscription | None:
    """The subscription Stripe may still bill (the newest, should there ever be two)."""
    return (
        Subscription.objects.filter(customer__user=user, status__in=LIVE_STATUSES)
        .order_by("-created_at")
        .first()
    )


def subscription_gives_premium(*, subscription: Subscription, now: datetime) -> bool:
    if subscription.status in (SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE):
        return True
    if subscription.status == SubscriptionStatus.PAST_DUE and subscription.past_due_since:
        return subscription.past_due_since + PAST_DUE_GRACE > now
    return False


def lifetime_purchase_for(*, user) -> LifetimePurchase | None:
    return LifetimePurchase.objects.filter(customer__user=user, refunded_at__isnull=True).first()


def staff_grant_for(*, user, now: datetime | None = None) -> StaffGrant | None:
    now = now or timezone.now()
    grants = StaffGrant.objects.filter(user=user, expires_at__gt=now)
    return max(grants, key=lambda grant: (PLANS[grant.tier].rank, grant.expires_at), default=None)


# Fixed text, so PostgreSQL prepares it once per connection and no ORM query is compiled on
# every page: the plan is asked on most requests. The same rules as the models' querysets above.
_PLAN_SQL = """
    SELECT tier FROM billing_staffgrant WHERE user_id = %(user)s AND expires_at > %(now)s
    UNION
    SELECT %(lifetime)s FROM billing_lifetimepurchase purchase
    JOIN billing_customer customer ON customer.id = purchase.customer_id
    WHERE customer.user_id = %(user)s AND purchase.refunded_at IS NULL
    UNION
    SELECT %(premium)s FROM billing_subscription subscription
    JOIN billing_customer customer ON customer.id = subscription.customer_id
    WHERE customer.user_id = %(user)s AND (
        subscription.status IN (%(trialing)s, %(active)s)
        OR (subscription.status = %(past_due)s AND subscription.past_due_since > %(grace_from)s)
    )
"""


def plan_for(*, user) -> Plan:
    """The richest plan the person has right now: a purchase, a subscription or a grant.

    One query (a UNION of the three sources), since every page and `/me` asks it.
    """
    if not getattr(user, "pk", None):
        return FREE
    now = timezone.now()
    params = {
        "user": user.pk,
        "now": now,
        "lifetime": LIFETIME.key,
        "premium": PREMIUM.key,
        "trialing": SubscriptionStatus.TRIALING.value,
        "active": SubscriptionStatus.ACTIVE.value,
        "past_due": SubscriptionStatus.PAST_DUE.value,
        "grace_from": now - PAST_DUE_GRACE,
    }
    with connection.cursor() as cursor:
        cursor.execute(_PLAN_SQL, params)
        held = {tier for (tier,) in cursor.fetchall()}
    return max((PLANS[tier] for tier in held), key=lambda plan: plan.rank, default=FREE)


def entitlements_for(*, user) -> dict:
    """`{tier, features, limits}` for the person, read by every app that has a limit."""
    plan = plan_for(user=user)
    return {"tier": plan.key, "features": dict(plan.features), "limits": dict(plan.limits)}


def billing_status(*, user) -> dict:
    """`{status, renewsAt, cancelAt}`: how the person's plan stands and what happens next.

    `status` is `free`, `trialing`, `active`, `past_due`, `lifetime` or `granted`.
    """
    if lifetime_purchase_for(user=user):
        return {"status": "lifetime", "renewsAt": None, "cancelAt": None}
    subscription = subscription_live(user=user)
    if subscription and subscription_gives_premium(subscription=subscription, now=timezone.now()):
        next_charge = (
            subscription.trial_end
            if subscription.status == SubscriptionStatus.TRIALING
            else subscription.current_period_end
        )
        return {
            "status": subscription.status,
            "renewsAt": None if subscription.cancel_at else iso(next_charge),
            "cancelAt": iso(subscription.cancel_at),
        }
    grant = staff_grant_for(user=user)
    if grant:
        return {"status": "granted", "renewsAt": None, "cancelAt": iso(grant.expires_at)}
    return {"status": "free", "renewsAt": None, "cancelAt": None}


OFFER_COPY = {
    PREMIUM.key: (
        "Premium is here if you would like it",
        "You have been coming back to your breath for a while now. Premium adds a year of "
        "history and deeper stats; the first 14 days are free, and Free stays yours either way.",
    ),
    LIFETIME.key: (
        "Lifetime, if it suits you",
        "Your practice has grown steady. Lifetime keeps every Premium feature for good with one "
        "payment and no renewals. No rush: this note stays until you close it.",
    ),
}


# Both facts the offer needs besides the plan, in one statement.
_OFFER_FACTS_SQL = """
    SELECT
        ARRAY(SELECT offer FROM billing_offerdismissal WHERE user_id = %(user)s),
        EXISTS(
            SELECT 1 FROM billing_customer
            WHERE user_id = %(user)s AND trial_used_at IS NOT NULL
        )
"""


def offer_for(*, user, level: int | None, tier: str | None = None) -> dict | None:
    """The calm upgrade offer for a person at `level`, or None.

    Never for a plan the person already has (or more), never after they closed that offer.
    `tier` is the plan the caller has just read (`entitlements_for`), so it is not read twice.
    """
    if level is None:
        return None
    current = PLANS[tier] if tier else plan_for(user=user)
    with connection.cursor() as cursor:
        cursor.execute(_OFFER_FACTS_SQL, {"user": user.pk})
        dismissed, trial_used = cursor.fetchone()
    for from_level, key in OFFER_LADDER:
        plan = PLANS[key]
        if level < from_level or plan.rank <= current.rank or key in dismissed:
            continue
        title, body = OFFER_COPY[key]
        return {
            "plan": key,
            "title": title,
            "body": body,
            "priceCents": plan.price_cents,
            "trialDays": 0 if trial_used else plan.trial_days,
        }
    return None


def offer_shown(*, user, tier: str, level: int | None = None) -> dict | None:
    """`offer_for` as a page shows it, with the plan's name, price and interval.

    `tier` is the plan the page has just read; `level` the user's, when the page knows it
    (else progression is asked, through billing's hook). Asks nothing of the database when the
    ladder has no rung above the plan held at this level, so most pages spend no query on it.
    """
    level = extensions.level_for(user) if level is None else level
    if level is None:
        return None
    held = PLANS[tier].rank
    if not any(level >= start and PLANS[key].rank > held for start, key in OFFER_LADDER):
        return None
    offer = offer_for(user=user, level=level, tier=tier)
    if offer is None:
        return None
    plan = PLANS[offer["plan"]]
    return {**offer, "name": plan.name, "price": plan.price_label, "interval": plan.interval}


def trial_available(*, user) -> bool:
    return not Customer.objects.filter(user=user, trial_used_at__isnull=False).exists()


def billing_section(*, user) -> dict:
    """`/me`'s `billing`: `{status, renewsAt, cancelAt, offer}`."""
    return {
        **billing_status(user=user),
        "offer": offer_for(user=user, level=extensions.level_for(user)),
    }


def subscriptions_to_reconcile(*, older_than: datetime) -> QuerySet[Subscription]:
    """Live subscriptions whose state was last read from Stripe before `older_than`."""
    return Subscription.objects.filter(
        status__in=LIVE_STATUSES, refreshed_at__lt=older_than
    ).order_by("refreshed_at")


def events_for(*, customer: Customer) -> QuerySet[WebhookEvent]:
    return WebhookEvent.objects.filter(customer=customer)


def export_for_user(user) -> dict:
    """Billing's part of the data export: plans and dates only, no payment details."""
    customer = customer_for(user=user)
    return {
        **entitlements_for(user=user),
        **billing_status(user=user),
        "stripeCustomer": bool(customer and customer.stripe_id),
        "subscriptions": [
            {
                "status": subscription.status,
                "createdAt": iso(subscription.created_at),
                "endedAt": iso(subscription.ended_at),
            }
            for subscription in Subscription.objects.filter(customer__user=user)
        ],
        "lifetimePurchases": [
            {"paidAt": iso(purchase.paid_at), "refundedAt": iso(purchase.refunded_at)}
            for purchase in LifetimePurchase.objects.filter(customer__user=user)
        ],
        "staffGrants": [
            {"tier": grant.tier, "expiresAt": iso(grant.expires_at)}
            for grant in StaffGrant.objects.filter(user=user)
        ],
        "dismissedOffers": list(
            OfferDismissal.objects.filter(user=user).values_list("offer", flat=True)
        ),
    }


def invoices_for(*, user, limit: int = 12) -> list[dict] | None:
    """The person's invoices, asked of Stripe (we keep none); None when Stripe cannot answer."""
    customer = customer_for(user=user)
    if customer is None or not customer.stripe_id or not gateway.stripe_enabled():
        return []
    try:
        invoices = gateway.client().v1.invoices.list(
            params={"customer": customer.stripe_id, "limit": limit}
        )
    except stripe.StripeError:
        logger.warning("Invoices of %s could not be read from Stripe", customer.stripe_id)
        return None
    return [
        {
            "number": gateway.field(invoice, "number") or invoice.id,
            "created": gateway.stripe_time(invoice.created),
            "amount": (gateway.field(invoice, "amount_paid") or 0) / 100,
            "currency": (gateway.field(invoice, "currency") or "usd").upper(),
            "status": gateway.field(invoice, "status") or "",
            "url": gateway.field(invoice, "hosted_invoice_url"),
        }
        for invoice in invoices.data
    ]
