"""Stripe's webhook, the pretix way: events are triggers, never truth.

1. Verify the signature (and its age, Stripe's default tolerance of 5 minutes): else 400.
2. Store the event id under a unique constraint: a redelivery finds it and changes nothing.
3. Fetch the object from Stripe again and apply only what is still valid (stripe_state.py).
4. Answer 200 for what we took or chose to ignore; let an error that Stripe should retry (Stripe
   unreachable, our database busy) roll the event row back and answer 5xx, so the retry is done.
"""

import logging
from collections.abc import Callable

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction

from billing import gateway
from billing.models import WebhookEvent
from billing.services import stripe_state
from breathmaster.api.errors import ApplicationError

logger = logging.getLogger(__name__)


def _on_checkout_session(data) -> tuple:
    return stripe_state.checkout_session_apply(
        session_id=data.id, stripe_customer_id=gateway.object_id(gateway.field(data, "customer"))
    )


def _on_subscription(data) -> tuple:
    return stripe_state.subscription_refresh(
        subscription_id=data.id,
        stripe_customer_id=gateway.object_id(gateway.field(data, "customer")),
    )


def _on_invoice(data) -> tuple:
    return stripe_state.invoice_refresh(
        invoice_id=data.id, stripe_customer_id=gateway.object_id(gateway.field(data, "customer"))
    )


def _on_charge(data) -> tuple:
    return stripe_state.charge_refresh(
        charge_id=data.id, stripe_customer_id=gateway.object_id(gateway.field(data, "customer"))
    )


HANDLERS: dict[str, Callable] = {
    "checkout.session.completed": _on_checkout_session,
    "checkout.session.async_payment_succeeded": _on_checkout_session,
    "customer.subscription.created": _on_subscription,
    "customer.subscription.updated": _on_subscription,
    "customer.subscription.deleted": _on_subscription,
    "customer.subscription.trial_will_end": _on_subscription,
    "invoice.paid": _on_invoice,
    "invoice.payment_failed": _on_invoice,
    "invoice.payment_succeeded": _on_invoice,
    "charge.refunded": _on_charge,
}


def invalid_signature() -> ApplicationError:
    return ApplicationError(
        "The Stripe signature is missing, wrong or too old.", code="invalid_signature"
    )


def webhook_event_verify(*, payload: bytes, signature: str | None) -> stripe.Event:
    """The event, if Stripe signed this payload within the last 5 minutes."""
    if not signature:
        raise invalid_signature()
    try:
        return gateway.client().construct_event(
            payload, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=300
        )
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise invalid_signature() from error


@transaction.atomic
def webhook_event_receive(*, event: stripe.Event) -> str:
    """Take one verified event once; answers what was done with it."""
    data = event.data.object
    try:
        with transaction.atomic():
            record = WebhookEvent.objects.create(
                stripe_id=event.id, type=event.type, object_id=gateway.field(data, "id") or ""
            )
    except IntegrityError:
        return "duplicate: already taken"
    handler = HANDLERS.get(event.type)
    if handler is None:
        outcome, customer = "ignored: not a type we act on", None
    else:
        outcome, customer = handler(data)
    record.outcome = outcome[:200]
    record.customer = customer
    record.save(update_fields=["outcome", "customer"])
    logger.info("Stripe event %s (%s): %s", event.id, event.type, outcome)
    return outcome
