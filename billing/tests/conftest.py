"""The billing cast: Stripe on loopback, signed webhooks, and a person part-way through paying."""

import pytest

from billing.testing.fixtures import localstripe, stripe_double, stripe_on  # noqa: F401
from billing.testing.signing import event_payload, stripe_signature

WEBHOOK = "/billing/stripe/webhook/"


@pytest.fixture
def deliver(api, stripe_on):  # noqa: F811
    """`deliver(type, object)` posts an event to the webhook signed exactly as Stripe signs it."""

    def send(event_type, data_object, *, event_id=None, secret=None, timestamp=None):
        payload = event_payload(event_type, data_object, event_id)
        signature = stripe_signature(payload, secret or stripe_on.webhook_secret, timestamp)
        return api.generic(
            "POST",
            WEBHOOK,
            payload,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signature,
        )

    return send


@pytest.fixture
def checkout(stripe_on):  # noqa: F811
    """`checkout(client, plan)` -> the double's session after the API made it (201 checked)."""

    def start(client, plan: str) -> dict:
        answer = client.post("/api/v1/billing/checkout", {"plan": plan}, format="json")
        assert answer.status_code == 201, answer.json()
        session_id = answer.json()["url"].rsplit("/", 1)[1]
        return stripe_on.sessions[session_id]

    return start


@pytest.fixture
def pay(stripe_on, deliver):  # noqa: F811
    """`pay(session)`: the person pays on Checkout and Stripe's event reaches the webhook."""

    def complete(session: dict, *, send_event: bool = True) -> dict:
        stripe_on.checkout_pay(session["id"])
        public = stripe_on.public(session)
        if send_event:
            answer = deliver("checkout.session.completed", public)
            assert answer.status_code == 200, answer.content
        return public

    return complete
