"""Two checkouts of one person at the same moment, on PostgreSQL: one Stripe customer."""

import pytest
from rest_framework.test import APIClient

from billing.models import Customer
from breathmaster.testing.concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 2


def test_two_checkouts_at_once_make_one_stripe_customer(verified_user, device_client, stripe_on):
    token = device_client(verified_user).token

    def start(index):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        plan = ("premium", "lifetime")[index]
        return client.post("/api/v1/billing/checkout", {"plan": plan}, format="json").status_code

    assert run_together(start, threads=THREADS) == [201, 201]
    customer = Customer.objects.get(user=verified_user)
    everyone = stripe_on.localstripe.v1.customers.list(params={"limit": 100}).auto_paging_iter()
    on_stripe = [
        c.id for c in everyone if c.metadata.to_dict().get("user_id") == str(verified_user.pk)
    ]
    assert on_stripe == [customer.stripe_id]
    sessions = [
        s for s in stripe_on.sessions.values() if s["client_reference_id"] == str(verified_user.pk)
    ]
    assert len(sessions) == 2 and {s["customer"] for s in sessions} == {customer.stripe_id}
