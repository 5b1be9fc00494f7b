"""`/me` carries billing through accounts' registry; the calm offer climbs the value ladder."""

import pytest
from django.utils import timezone

from accounts import extensions as account_extensions
from billing.models import StaffGrant

pytestmark = pytest.mark.django_db


def _reach_xp(client, xp: int) -> None:
    body = {"days": [], "baseline": {"xp": xp, "sessions": 40, "minutes": 400}}
    assert client.post("/api/v1/sync", body, format="json").status_code == 200


def test_accounts_gets_tier_and_billing_from_the_registry_not_by_importing_billing():
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "accounts"
    for path in root.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("billing"), path
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("billing") for a in node.names), path
    for name in ("tier", "features", "limits", "billing"):
        assert name in account_extensions.profile_sections


def test_me_billing_section_for_free(verified_user, device_client):
    me = device_client(verified_user).get("/api/v1/me").json()
    assert me["tier"] == "free"
    assert me["billing"] == {"status": "free", "renewsAt": None, "cancelAt": None, "offer": None}


def test_a_trial_shows_when_it_renews(verified_user, device_client, checkout, pay):
    client = device_client(verified_user)
    pay(checkout(client, "premium"))
    billing = client.get("/api/v1/me").json()["billing"]
    assert billing["status"] == "trialing" and billing["cancelAt"] is None
    days = (timezone.datetime.fromisoformat(billing["renewsAt"]) - timezone.now()).days
    assert days in (13, 14)


def test_a_staff_grant_gives_the_tier_until_it_expires(verified_user, staff, device_client):
    client = device_client(verified_user)
    grant = StaffGrant.objects.create(
        user=verified_user,
        tier="premium",
        reason="Helped test the beta",
        expires_at=timezone.now() + timezone.timedelta(days=30),
        granted_by=staff,
    )
    me = client.get("/api/v1/me").json()
    assert me["tier"] == "premium" and me["billing"]["status"] == "granted"
    assert me["limits"]["analyticsHistoryDays"] == 365
    StaffGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now())
    assert client.get("/api/v1/me").json()["tier"] == "free"


def test_no_offer_below_level_seven(verified_user, device_client):
    client = device_client(verified_user)
    _reach_xp(client, 999)  # level 6
    assert client.get("/api/v1/me").json()["billing"]["offer"] is None


def test_premium_is_offered_from_level_seven_and_lifetime_from_level_ten(
    verified_user, device_client, checkout, pay
):
    client = device_client(verified_user)
    _reach_xp(client, 1000)  # level 7
    offer = client.get("/api/v1/me").json()["billing"]["offer"]
    assert offer["plan"] == "premium" and offer["trialDays"] == 14
    for word in ("hurry", "last chance", "only today", "don't miss", "limited"):
        assert word not in (offer["title"] + offer["body"]).lower()
    _reach_xp(client, 2500)  # level 10
    assert client.get("/api/v1/me").json()["billing"]["offer"]["plan"] == "lifetime"
    pay(checkout(client, "lifetime"))
    assert client.get("/api/v1/me").json()["billing"]["offer"] is None  # never for who has it


def test_premium_members_are_not_offered_premium(verified_user, device_client, checkout, pay):
    client = device_client(verified_user)
    _reach_xp(client, 1000)
    pay(checkout(client, "premium"))
    assert client.get("/api/v1/me").json()["billing"]["offer"] is None


def test_an_offer_closed_once_stays_quiet_and_the_next_one_may_still_come(
    verified_user, device_client
):
    client = device_client(verified_user)
    _reach_xp(client, 1000)
    for _ in range(2):  # closing twice is the same as once
        answer = client.post("/api/v1/billing/offer/dismiss", {"offer": "premium"}, format="json")
        assert answer.status_code == 204
    assert client.get("/api/v1/me").json()["billing"]["offer"] is None
    _reach_xp(client, 2500)
    assert client.get("/api/v1/me").json()["billing"]["offer"]["plan"] == "lifetime"
    client.post("/api/v1/billing/offer/dismiss", {"offer": "lifetime"}, format="json")
    assert client.get("/api/v1/me").json()["billing"]["offer"] is None


@pytest.mark.parametrize("body", [{"offer": "gold"}, {"offer": "free"}, {}, {"offer": 7}])
def test_dismissing_an_unknown_offer_is_a_clear_400(verified_user, device_client, body):
    answer = device_client(verified_user).post("/api/v1/billing/offer/dismiss", body, format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] in ("unknown_offer", "invalid")


def test_the_offer_shows_on_the_billing_page_and_closes_there(client, verified_user, device_client):
    _reach_xp(device_client(verified_user), 1000)
    client.force_login(verified_user)
    page = client.get("/billing/")
    assert b'data-testid="offer"' in page.content and b"14 days are free" in page.content
    client.post("/billing/offer/dismiss/", {"offer": "premium"})
    assert b'data-testid="offer"' not in client.get("/billing/").content


def test_closing_the_offer_returns_to_the_page_it_was_on_never_to_another_site(
    client, verified_user
):
    client.force_login(verified_user)
    back = client.post(
        "/billing/offer/dismiss/", {"offer": "premium"}, HTTP_REFERER="http://testserver/dashboard/"
    )
    assert back.status_code == 302 and back["Location"] == "http://testserver/dashboard/"
    away = client.post(
        "/billing/offer/dismiss/", {"offer": "lifetime", "next": "https://evil.test/"}
    )
    assert away["Location"] == "/billing/"


def test_the_data_export_carries_billing_without_payment_details(
    verified_user, device_client, checkout, pay
):
    from accounts.selectors import user_export_document

    pay(checkout(device_client(verified_user), "premium"))
    document = user_export_document(user=verified_user, sections=account_extensions.export_sections)
    billing = document["billing"]
    assert billing["tier"] == "premium" and billing["status"] == "trialing"
    assert billing["subscriptions"][0]["status"] == "trialing"
    assert "cus_" not in str(billing) and "sub_" not in str(billing)
