"""Billing's writes. Import from here: `from billing.services import checkout_start`."""

from billing.services.checkout import checkout_return, checkout_start, portal_start
from billing.services.customers import customer_ensure
from billing.services.lifecycle import (
    billing_reconcile,
    customer_erase,
    offer_dismiss,
    subscriptions_cancel_for_deletion,
)
from billing.services.stripe_state import (
    charge_refresh,
    checkout_session_apply,
    subscription_refresh,
)
from billing.services.webhooks import webhook_event_receive, webhook_event_verify

__all__ = [
    "billing_reconcile",
    "charge_refresh",
    "checkout_return",
    "checkout_session_apply",
    "checkout_start",
    "customer_ensure",
    "customer_erase",
    "offer_dismiss",
    "portal_start",
    "subscription_refresh",
    "subscriptions_cancel_for_deletion",
    "webhook_event_receive",
    "webhook_event_verify",
]
