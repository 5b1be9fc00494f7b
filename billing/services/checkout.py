"""Starting a payment: a Stripe Checkout Session for a plan, or the customer portal."""

import stripe
from django.conf import settings
from rest_framework import status

from accounts.selectors import user_email_verified
from billing import gateway, selectors
from billing.plans import LIFETIME, PLANS, PREMIUM
from billing.services.customers import customer_ensure
from billing.services.stripe_state import checkout_session_apply
from breathmaster.api.errors import ApplicationError

PURCHASABLE = (PREMIUM.key, LIFETIME.key)


def billing_page_url() -> str:
    return f"{settings.SITE_URL}/billing/"


def _email_required() -> ApplicationError:
    return ApplicationError(
        "Paying needs a verified email address, so receipts and your plan have a home. "
        "Add one on the web and confirm it, then come back.",
        code="email_required",
        status_code=status.HTTP_403_FORBIDDEN,
    )


def _check_can_pay(*, user) -> None:
    gateway.client()  # 503 billing_unavailable when Stripe is off
    if not user_email_verified(user=user):
        raise _email_required()


def _already_has(*, user, plan_key: str) -> bool:
    if selectors.lifetime_purchase_for(user=user):
        return True
    if plan_key == LIFETIME.key:
        return False
    subscription = selectors.subscription_live(user=user)
    return subscription is not None and subscription.status != "incomplete"


def checkout_start(*, user, plan_key: str) -> str:
    """A Checkout Session for `plan_key`; answers the URL to send the person to.

    Premium is a subscription with the 14-day trial unless this person has had one; Lifetime a
    one-time payment (on Premium, that subscription ends when the payment succeeds, see
    `subscriptions_end_for_lifetime`). Both come back to the billing page.
    """
    if plan_key not in PURCHASABLE:
        raise ApplicationError(
            "There is no plan by that name to buy.",
            code="unknown_plan",
            errors={"plan": [f"Choose one of: {', '.join(PURCHASABLE)}."]},
        )
    _check_can_pay(user=user)
    if _already_has(user=user, plan_key=plan_key):
        raise ApplicationError(
            f"You already have {PLANS[plan_key].name} (or more), so there is nothing to buy.",
            code="already_subscribed",
        )
    customer = customer_ensure(user=user)
    metadata = {"user_id": str(user.pk), "plan": plan_key}
    params = {
        "customer": customer.stripe_id,
        "client_reference_id": str(user.pk),
        "metadata": metadata,
        "success_url": billing_page_url() + "?checkout=done&session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": billing_page_url() + "?checkout=cancelled",
    }
    if plan_key == PREMIUM.key:
        subscription_data: dict = {"metadata": metadata}
        if selectors.trial_available(user=user):
            subscription_data["trial_period_days"] = PREMIUM.trial_days
        params |= {
            "mode": "subscription",
            "line_items": [{"price": settings.STRIPE_PRICE_PREMIUM, "quantity": 1}],
            "subscription_data": subscription_data,
        }
    else:
        params |= {
            "mode": "payment",
            "line_items": [{"price": settings.STRIPE_PRICE_LIFETIME, "quantity": 1}],
            "payment_intent_data": {"metadata": metadata},
        }
    session = gateway.client().v1.checkout.sessions.create(params=params)
    return session.url


def portal_start(*, user) -> str:
    """A customer portal session (cards, invoices, cancelling) that returns to the billing page.

    Someone with no billing account hears that first (400 `no_billing_account`), whether or not
    payments are set up: there is nothing to manage either way. With an account and Stripe off,
    503 `billing_unavailable`.
    """
    if not user_email_verified(user=user):
        raise _email_required()
    customer = selectors.customer_for(user=user)
    if customer is None or not customer.stripe_id:
        raise ApplicationError(
            "There is nothing to manage yet: the portal opens once you have a plan.",
            code="no_billing_account",
        )
    gateway.client()  # 503 billing_unavailable when Stripe is off
    session = gateway.client().v1.billing_portal.sessions.create(
        params={"customer": customer.stripe_id, "return_url": billing_page_url()}
    )
    return session.url


def checkout_return(*, user, session_id: str) -> str:
    """Back from Checkout: apply the session now instead of waiting for its webhook (which then
    changes nothing). Someone else's session is refused and changes nothing."""
    customer = selectors.customer_for(user=user)
    if customer is None or not customer.stripe_id:
        raise _not_yours()
    try:
        session = gateway.client().v1.checkout.sessions.retrieve(session_id)
    except stripe.InvalidRequestError as error:
        raise _not_yours() from error
    if gateway.object_id(session.customer) != customer.stripe_id:
        raise _not_yours()
    outcome, _ = checkout_session_apply(
        session_id=session.id, stripe_customer_id=customer.stripe_id
    )
    return outcome


def _not_yours() -> ApplicationError:
    return ApplicationError(
        "That checkout is not one of this account's.",
        code="not_found",
        status_code=status.HTTP_404_NOT_FOUND,
    )
