"""The one door to Stripe: a configured `StripeClient`, and readers for the fields we use.

Objects from the SDK are `StripeObject`s, not dicts: fields are read as attributes, and the
readers below accept both the current API shape and the older one Stripe still answers for
accounts pinned to an earlier version (for example the period end moved from the subscription to
its items in 2025: https://docs.stripe.com/changelog/basil/2025-03-31/deprecate-subscription-current-period-start-and-end).
"""

from datetime import UTC, datetime
from functools import lru_cache

import stripe
from django.conf import settings
from rest_framework import status

from breathmaster.api.errors import ApplicationError


def billing_unavailable() -> ApplicationError:
    return ApplicationError(
        "Payments are not set up on this server, so nothing can be bought here right now.",
        code="billing_unavailable",
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
    )


def stripe_enabled() -> bool:
    return bool(settings.STRIPE_ENABLED and settings.STRIPE_SECRET_KEY)


def client() -> stripe.StripeClient:
    """The configured client; `billing_unavailable` (503) when Stripe is switched off."""
    if not stripe_enabled():
        raise billing_unavailable()
    return _client(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE)


@lru_cache(maxsize=4)
def _client(secret_key: str, api_base: str) -> stripe.StripeClient:
    # Tests set STRIPE_API_BASE to a loopback Stripe; production leaves it empty.
    base_addresses = {"api": api_base.rstrip("/")} if api_base else None
    return stripe.StripeClient(secret_key, base_addresses=base_addresses, max_network_retries=2)


def stripe_time(value) -> datetime | None:
    return datetime.fromtimestamp(int(value), tz=UTC) if value else None


def field(stripe_object, name: str, default=None):
    """A field that may be absent in one API version (StripeObject raises on a missing attr)."""
    try:
        return getattr(stripe_object, name)
    except AttributeError:
        return default


def object_id(value) -> str | None:
    """An expandable field: the id whether Stripe sent the id or the expanded object."""
    if value is None or isinstance(value, str):
        return value
    return value.id


def subscription_period_end(subscription) -> datetime | None:
    items = field(field(subscription, "items"), "data", []) or []
    for item in items:
        end = field(item, "current_period_end")
        if end:
            return stripe_time(end)
    return stripe_time(field(subscription, "current_period_end"))


def subscription_period_start(subscription) -> datetime | None:
    items = field(field(subscription, "items"), "data", []) or []
    for item in items:
        start = field(item, "current_period_start")
        if start:
            return stripe_time(start)
    return stripe_time(field(subscription, "current_period_start"))


def is_missing(error: stripe.StripeError) -> bool:
    """Stripe answered that the object does not exist (deleted, or never ours)."""
    return isinstance(error, stripe.InvalidRequestError) and error.http_status == 404
