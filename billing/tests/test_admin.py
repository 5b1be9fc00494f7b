"""Staff see customers, subscriptions and Stripe's events, and can grant a tier for a while."""

from datetime import timedelta

import pytest
from django.utils import timezone

from billing.models import StaffGrant, WebhookEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def paid(verified_user, device_client, checkout, pay):
    return pay(checkout(device_client(verified_user), "premium"))


def test_customers_and_subscriptions_are_listed_and_found_by_email(staff_client, paid):
    customers = staff_client.get("/admin/billing/customer/", {"q": "maya@example"})
    assert customers.status_code == 200
    assert [c.stripe_id for c in customers.context["cl"].result_list] == [paid["customer"]]
    subscriptions = staff_client.get("/admin/billing/subscription/", {"q": paid["subscription"]})
    assert len(subscriptions.context["cl"].result_list) == 1


@pytest.mark.parametrize("term", ["EVENT_ID", "checkout.session.completed", "maya@example"])
def test_events_are_searchable_by_id_type_and_user(staff_client, paid, term):
    event = WebhookEvent.objects.get(type="checkout.session.completed")
    term = {"EVENT_ID": event.stripe_id}.get(term, term)
    answer = staff_client.get("/admin/billing/webhookevent/", {"q": term})
    assert answer.status_code == 200
    assert list(answer.context["cl"].result_list) == [event]
    assert staff_client.get(f"/admin/billing/webhookevent/{event.pk}/change/").status_code == 200


def test_staff_grant_a_tier_with_a_reason_and_an_end(
    staff_client, staff, verified_user, device_client
):
    expires = timezone.now() + timedelta(days=10)
    answer = staff_client.post(
        "/admin/billing/staffgrant/add/",
        {
            "user": str(verified_user.pk),
            "tier": "lifetime",
            "reason": "Thank you for the bug reports",
            "expires_at_0": expires.strftime("%Y-%m-%d"),
            "expires_at_1": expires.strftime("%H:%M:%S"),
        },
    )
    assert answer.status_code == 302, answer.context["adminform"].errors if answer.context else ""
    grant = StaffGrant.objects.get(user=verified_user)
    assert grant.granted_by == staff and grant.reason == "Thank you for the bug reports"
    assert device_client(verified_user).get("/api/v1/me").json()["tier"] == "lifetime"


def test_a_grant_needs_a_reason_and_an_end(staff_client, verified_user):
    answer = staff_client.post(
        "/admin/billing/staffgrant/add/", {"user": str(verified_user.pk), "tier": "premium"}
    )
    assert answer.status_code == 200  # the form again, with its errors
    assert not StaffGrant.objects.exists()
