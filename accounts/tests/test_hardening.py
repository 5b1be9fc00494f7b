"""What a hostile client found in accounts, each shown through the front door (issue 9: the claim
form, exports, deletion ending export links, one strictness for profile fields)."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import DataExport, User
from accounts.services import user_sync_enable

pytestmark = pytest.mark.django_db

PASSWORD = {"password1": "slow-exhale-77", "password2": "slow-exhale-77"}


# --- 7. The claim form does not tell whether an email is registered, and is throttled ---------


def claim_as_new_anonymous_account(email: str, capture) -> tuple:
    user = User.objects.create_user(display_name="")
    browser = Client()
    browser.force_login(user)
    with capture(execute=True):
        response = browser.post("/account/claim/", {"email": email, **PASSWORD})
    page = browser.get(response["Location"]) if response.status_code == 302 else response
    return user, response, page


def visible_message(page) -> str:
    return [str(m) for m in page.context["messages"]][0] if page.context else ""


def test_claiming_a_registered_email_answers_exactly_as_a_new_one(
    verified_user, django_capture_on_commit_callbacks
):
    fresh_user, fresh, fresh_page = claim_as_new_anonymous_account(
        "new@example.com", django_capture_on_commit_callbacks
    )
    taken_user, taken, taken_page = claim_as_new_anonymous_account(
        "Maya@Example.com", django_capture_on_commit_callbacks
    )
    assert (fresh.status_code, fresh["Location"]) == (taken.status_code, taken["Location"])
    assert visible_message(fresh_page) == visible_message(taken_page)
    assert b"belongs to another account" not in taken_page.content

    # Each address got one mail: the new one its confirmation, Maya a note that someone tried.
    assert sorted(message.to[0] for message in mail.outbox) == [
        "maya@example.com",
        "new@example.com",
    ]
    note = next(message for message in mail.outbox if message.to == ["maya@example.com"])
    assert "already" in note.body and "/accounts/password/reset/" in note.body
    # Nothing of either address is stored on the anonymous accounts before the link is followed
    # (test_claim_tells_nothing compares all they can read), nor changed on Maya's.
    assert User.objects.get(pk=taken_user.pk).email is None
    assert User.objects.get(pk=fresh_user.pk).email is None
    assert EmailAddress.objects.get(email="maya@example.com").user_id == verified_user.pk


def test_the_claim_form_is_throttled(anonymous_user):
    browser = Client()
    browser.force_login(anonymous_user)
    answers = [
        browser.post("/account/claim/", {"email": f"x{i}@example.com", **PASSWORD}).status_code
        for i in range(12)
    ]
    # The first tries are answered (302, the account still without an email until a link is
    # followed), then the limit.
    assert 429 in answers
    limited = browser.post("/account/claim/", {"email": "late@example.com", **PASSWORD})
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0


def test_the_claim_throttle_counts_per_address_not_per_account():
    for _ in range(12):
        user = User.objects.create_user(display_name="")
        browser = Client()
        browser.force_login(user)
        last = browser.post("/account/claim/", {"email": "maya@example.com", **PASSWORD})
    assert last.status_code == 429


# --- 8. Exports: a few per hour, the running one reused ----------------------------------------


def test_a_running_export_is_reused(verified_user, device_client):
    client = device_client(verified_user)
    first = client.post("/api/v1/me/export")
    second = client.post("/api/v1/me/export")
    assert first.status_code == second.status_code == 202
    assert first.json()["exportId"] == second.json()["exportId"]
    assert DataExport.objects.count() == 1


def test_exports_are_limited_to_three_an_hour_with_retry_after(
    verified_user, device_client, django_capture_on_commit_callbacks
):
    client = device_client(verified_user)
    ids = set()
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post("/api/v1/me/export")
        assert answer.status_code == 202
        ids.add(answer.json()["exportId"])
    assert len(ids) == 3
    limited = client.post("/api/v1/me/export")
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited" and limited.json()["detail"]
    assert 3000 < int(limited["Retry-After"]) <= 3600
    assert DataExport.objects.count() == 3
    # The web page shares the same limit and says so calmly.
    browser = Client()
    browser.force_login(verified_user)
    page = browser.post("/account/privacy/export/")
    assert page.status_code == 429 and int(page["Retry-After"]) > 0
    assert DataExport.objects.count() == 3


# --- 9. Deleting the account ends every export link at once -----------------------------------


def test_deleting_the_account_ends_every_export_link(
    verified_user, device_client, django_capture_on_commit_callbacks
):
    client = device_client(verified_user)
    with django_capture_on_commit_callbacks(execute=True):
        export_id = client.post("/api/v1/me/export").json()["exportId"]
    link = client.get(f"/api/v1/me/export/{export_id}").json()["downloadUrl"]
    stranger = APIClient()
    assert stranger.get(link).status_code == 200  # the signed link works for anyone holding it

    assert client.delete("/api/v1/me").status_code == 202
    answer = stranger.get(link)
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"
    assert not DataExport.objects.filter(user=verified_user).exists()


# --- 12. One strictness everywhere ---------------------------------------------------------------


@pytest.mark.parametrize(
    "body, field",
    [
        ({"privacy": {"dataRetentionDays": "40"}}, "dataRetentionDays"),
        ({"privacy": {"dataRetentionDays": 40.0}}, "dataRetentionDays"),
        ({"privacy": {"dataRetentionDays": True}}, "dataRetentionDays"),
        ({"privacy": {"shareProgress": "true"}}, "shareProgress"),
        ({"privacy": {"shareStreaks": 1}}, "shareStreaks"),
        ({"privacy": {"leaderboard": {"friends": "yes"}}}, "leaderboard"),
        ({"displayName": 12345}, "displayName"),
        ({"timezone": "localtime"}, "timezone"),
        ({"timezone": "Factory"}, "timezone"),
        ({"timezone": "posixrules"}, "timezone"),
        ({"timezone": "posix/Europe/Berlin"}, "timezone"),
        ({"timezone": "right/Europe/Berlin"}, "timezone"),
        ({"timezone": ["Europe/Berlin"]}, "timezone"),
    ],
)
def test_profile_fields_are_as_strict_as_sync(verified_user, device_client, body, field):
    client = device_client(verified_user)
    before = client.get("/api/v1/me").json()
    response = client.patch("/api/v1/me", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in str(response.json()["errors"])
    assert client.get("/api/v1/me").json() == before


@pytest.mark.parametrize("zone", ["Europe/Berlin", "UTC", "America/Argentina/Buenos_Aires"])
def test_real_time_zones_and_plain_values_still_save(verified_user, device_client, zone):
    client = device_client(verified_user)
    body = {"timezone": zone, "privacy": {"dataRetentionDays": 40, "shareProgress": True}}
    response = client.patch("/api/v1/me", body, format="json")
    assert response.status_code == 200
    assert response.json()["timezone"] == zone
    assert response.json()["privacy"]["dataRetentionDays"] == 40


def test_sync_refuses_a_string_counter_the_same_way(verified_user, device_client):
    user_sync_enable(user=verified_user)
    client = device_client(verified_user)
    body = {"days": [{"date": "2026-11-20", "xp": "40", "sessions": 1, "minutes": 5}]}
    assert client.post("/api/v1/sync", body, format="json").status_code == 400
