"""Whatever order Stripe's events arrive in, and however often, the tier ends where Stripe is.

A subscription lives through trial, paid, failed, recovered and cancelled (and a paid invoice
may be refunded); Stripe moves on (localstripe, with our test clock for time passing) while its
events wait. Hypothesis picks when Stripe moves on and which waiting event arrives next, again
and again, repeats included. After every first delivery of an event about the subscription, the
tier is what Stripe says now (a repeat changes nothing); at the end, with every event delivered,
too.
"""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from billing.selectors import entitlements_for

pytestmark = pytest.mark.django_db

LIFE = ["trialing", "active", "past_due", "active", "canceled"]
TIER_WHEN = {"trialing": "premium", "active": "premium", "past_due": "premium", "canceled": "free"}
PROPERTY = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
serial = itertools.count()


def _new_person() -> User:
    from allauth.account.models import EmailAddress

    email = f"life-{next(serial)}@example.com"
    user = User.objects.create_user(email=email, password="calm-breath-42", display_name="Life")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


class Life:
    """One subscription moving through LIFE on Stripe, and the events it leaves behind."""

    def __init__(self, stripe, session: dict):
        self.stripe = stripe
        self.session = session
        self.subscription_id = session["subscription"]
        self.customer_id = session["customer"]
        self.stage = 0
        self.invoice_id: str | None = None
        self.pending = [
            ("checkout.session.completed", session),
            (
                "customer.subscription.created",
                stripe.localstripe.v1.subscriptions.retrieve(self.subscription_id).to_dict(),
            ),
        ]
        self.sent: list[tuple[str, dict, str]] = []

    @property
    def status(self) -> str:
        return LIFE[self.stage]

    def advance(self) -> None:
        self.stage += 1
        # Each event carries the object as it was when sent, as Stripe's do.
        subscription = self.stripe.advance_subscription(self.subscription_id, self.status)
        if self.status == "canceled":
            self.pending.append(("customer.subscription.deleted", subscription))
            return
        invoice = self.stripe.localstripe.v1.invoices.retrieve(self._invoice()).to_dict()
        paid = self.status == "active"
        self.pending.append(("invoice.paid" if paid else "invoice.payment_failed", invoice))
        self.pending.append(("customer.subscription.updated", subscription))

    def refund(self) -> None:
        """A paid invoice refunded: Stripe says so; the subscription itself decides the tier."""
        invoice = self.stripe.localstripe.v1.invoices.retrieve(self._invoice())
        if not invoice.payment_intent:
            return
        refund = self.stripe.localstripe.v1.refunds.create(
            params={"payment_intent": invoice.payment_intent, "amount": 1}
        )
        self.pending.append(("charge.refunded", {"id": refund.charge}))

    def _invoice(self) -> str:
        if self.invoice_id is None:
            invoice = self.stripe.localstripe.v1.invoices.create(
                params={"customer": self.customer_id, "subscription": self.subscription_id}
            )
            self.invoice_id = invoice.id
        return self.invoice_id


@PROPERTY
@given(data=st.data())
def test_any_order_and_repetition_of_a_subscriptions_events_ends_on_stripes_tier(
    data, stripe_on, checkout, device_client, deliver
):
    user = _new_person()
    client = device_client(user)
    session = checkout(client, "premium")
    stripe_on.checkout_pay(session["id"])
    life = Life(stripe_on, stripe_on.public(session))
    for _ in range(data.draw(st.integers(min_value=1, max_value=14), label="steps")):
        moves = ["deliver"] + (["advance"] if life.stage < len(LIFE) - 1 else [])
        moves += ["refund"] if life.status in ("active", "past_due") else []
        move = data.draw(st.sampled_from(moves), label="move")
        if move == "advance":
            life.advance()
        elif move == "refund":
            life.refund()
        else:
            fresh = _deliver_one(data, life, deliver)
            if fresh:
                assert entitlements_for(user=user)["tier"] == TIER_WHEN[life.status]
    for event_type, body in life.pending:
        deliver(event_type, body)
    assert entitlements_for(user=user)["tier"] == TIER_WHEN[life.status]
    me = client.get("/api/v1/me").json()
    assert me["tier"] == TIER_WHEN[life.status]
    if life.status != "canceled":
        assert me["billing"]["status"] == life.status


def _deliver_one(data, life: Life, deliver) -> bool:
    """Deliver a waiting event, or repeat one already sent (same id, so it changes nothing):
    True if it was a first delivery about the subscription (a refund alone says nothing of it)."""
    choices = life.pending + [(t, b) for t, b, _ in life.sent]
    event_type, body = data.draw(st.sampled_from(choices), label="event")
    repeat = next((eid for t, b, eid in life.sent if (t, b) == (event_type, body)), None)
    if (event_type, body) in life.pending:
        life.pending.remove((event_type, body))
    event_id = repeat or f"evt_life_{next(serial)}"
    answer = deliver(event_type, body, event_id=event_id)
    assert answer.status_code == 200, answer.content
    if repeat is None:
        life.sent.append((event_type, body, event_id))
    return repeat is None and event_type != "charge.refunded"


@PROPERTY
@given(data=st.data())
def test_any_order_and_repetition_of_a_lifetime_purchase_and_its_refund(
    data, stripe_on, checkout, device_client, deliver
):
    user = _new_person()
    session = checkout(device_client(user), "lifetime")
    stripe_on.checkout_pay(session["id"])
    events = [("checkout.session.completed", stripe_on.public(session))]
    refunded = data.draw(st.booleans(), label="refunded")
    if refunded:
        refund = stripe_on.localstripe.v1.refunds.create(
            params={"payment_intent": session["payment_intent"]}
        )
        events.append(("charge.refunded", {"id": refund.charge, "customer": session["customer"]}))
    ids = [f"evt_lifetime_{next(serial)}" for _ in events]
    order = data.draw(st.permutations(list(range(len(events)))), label="order")
    repeats = data.draw(st.lists(st.sampled_from(list(range(len(events)))), max_size=4))
    for index in list(order) + repeats:
        assert deliver(*events[index], event_id=ids[index]).status_code == 200
    assert entitlements_for(user=user)["tier"] == ("free" if refunded else "lifetime")
