"""The Stripe customer behind a person: made once, even when two checkouts start together."""

from django.db import transaction

from billing import gateway
from billing.models import Customer


def customer_ensure(*, user) -> Customer:
    """The person's customer row with its Stripe id, creating the Stripe customer at most once.

    1. Make or find our row: the unique `user` column lets one insert win; `get_or_create`
       reads the winner's row for the loser.
    2. Lock that row (SELECT ... FOR UPDATE): a second request waits here until the first has
       committed its Stripe id, then finds it and returns.
    3. Only the lock holder asks Stripe for a customer, with an idempotency key per person, so a
       retried HTTP call cannot make a second one either.
    """
    Customer.objects.get_or_create(user=user)
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(user=user)
        if customer.stripe_id:
            return customer
        created = gateway.client().v1.customers.create(
            params={"email": user.email, "metadata": {"user_id": str(user.pk)}},
            options={"idempotency_key": f"breathmaster-customer-{user.pk}"},
        )
        customer.stripe_id = created.id
        customer.save(update_fields=["stripe_id"])
    return customer
