"""The account's web pages, through Django's test client with a real session."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import DeletionRequest, Device, SyncCode, User
from accounts.services import user_sync_enable

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous_with_device(anonymous_user, device_client):
    user_sync_enable(user=anonymous_user)
    return anonymous_user, device_client(anonymous_user)


def test_the_devices_page_lists_devices_and_makes_sync_codes(client, anonymous_with_device):
    user, laptop = anonymous_with_device
    client.force_login(user)
    page = client.get("/account/devices/")
    assert b"Laptop" in page.content
    made = client.post("/account/devices/sync-code/")
    assert made.status_code == 200
    code = made.context["sync_code"]
    assert code.encode() in made.content
    joined = client.post(
        "/api/v1/auth/sync-codes/redeem",
        {"code": code, "deviceName": "Desktop"},
        content_type="application/json",
    )
    assert joined.status_code == 201


def test_the_devices_page_respects_the_sync_gate(client, verified_user):
    client.force_login(verified_user)
    response = client.post("/account/devices/sync-code/")
    assert b"Turn on sync" in response.content
    assert not SyncCode.objects.exists()


def test_the_web_and_the_api_share_one_sync_code_limit(client, anonymous_with_device):
    user, laptop = anonymous_with_device
    client.force_login(user)
    for _ in range(12):
        assert laptop.post("/api/v1/auth/sync-codes").status_code == 201
    response = client.post("/account/devices/sync-code/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_revoking_a_device_on_the_web_stops_its_token(client, anonymous_with_device, stranger):
    user, laptop = anonymous_with_device
    client.force_login(user)
    response = client.post(f"/account/devices/{laptop.device.pk}/revoke/")
    assert response.status_code == 302
    assert laptop.get("/api/v1/me").status_code == 401
    sams = Device.objects.create(user=stranger, name="Sam's", token_hash="x" * 64)
    assert client.post(f"/account/devices/{sams.pk}/revoke/").status_code == 404


def test_the_privacy_page_saves_through_the_same_rules(client, verified_user):
    client.force_login(verified_user)
    form = {
        "share_progress": "on",
        "leaderboard_global": "anonymous",
        "leaderboard_company": "on",
        "data_retention_days": "90",
    }
    assert client.post("/account/privacy/", form).status_code == 302
    user = User.objects.get(pk=verified_user.pk)
    assert (user.share_progress, user.share_streaks) == (True, False)
    assert (user.leaderboard_global, user.leaderboard_company) == ("anonymous", True)
    assert user.data_retention_days == 90

    bad = client.post("/account/privacy/", {**form, "data_retention_days": "5"})
    assert bad.status_code == 200
    assert User.objects.get(pk=verified_user.pk).data_retention_days == 90


def test_the_web_export_works_without_javascript_for_the_owner_only(
    client, verified_user, stranger, django_capture_on_commit_callbacks
):
    client.force_login(verified_user)
    assert b"<script" not in client.get("/account/privacy/").content
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/account/privacy/export/")
    assert started.status_code == 302
    page = client.get(started["Location"])
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    assert page.context["status"] == "ready"
    download = page.context["download_url"]
    assert download in page.content.decode().replace("&amp;", "&")
    assert client.get(download).json()["profile"]["email"] == "maya@example.com"
    client.force_login(stranger)
    assert client.get(started["Location"]).status_code == 404


def test_a_pending_web_export_page_checks_again_by_itself(client, verified_user):
    client.force_login(verified_user)
    started = client.post("/account/privacy/export/")  # its build waits for the commit
    page = client.get(started["Location"])
    assert page.context["status"] == "pending"
    assert b'<meta http-equiv="refresh"' in page.content


def test_an_anonymous_account_is_kept_by_adding_an_email(
    client, anonymous_with_device, django_capture_on_commit_callbacks
):
    user, laptop = anonymous_with_device
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/account/claim/",
            {
                "email": "Ana@Example.com",
                "password1": "slow-exhale-77",
                "password2": "slow-exhale-77",
            },
        )
    assert response.status_code == 302
    claimed = User.objects.get(pk=user.pk)
    assert claimed.check_password("slow-exhale-77")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana@example.com"]
    # Same account, same devices; the email counts only once confirmed (issue 9, item 7).
    me = laptop.get("/api/v1/me").json()
    assert me["userId"] == str(user.pk)
    assert (me["email"], me["emailVerified"]) == (None, False)
    link = re.search(r"http://testserver(/account/claim/confirm/\S+/)", mail.outbox[0].body)
    assert client.post(link.group(1)).status_code == 302
    me = laptop.get("/api/v1/me").json()
    assert (me["email"], me["emailVerified"]) == ("ana@example.com", True)
    assert EmailAddress.objects.get(user=claimed).primary is True
    assert client.get("/dashboard/").status_code == 200


def test_claiming_with_an_email_someone_has_leaves_the_account_as_it_was(
    client, anonymous_user, verified_user
):
    client.force_login(anonymous_user)
    response = client.post(
        "/account/claim/",
        {"email": "maya@example.com", "password1": "slow-exhale-77", "password2": "slow-exhale-77"},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=anonymous_user.pk).email is None


def test_deleting_on_the_web_needs_the_confirmation_word(client, verified_user, device_client):
    laptop = device_client(verified_user)
    client.force_login(verified_user)
    assert client.post("/account/delete/", {"confirmation": "yes"}).status_code == 200
    assert laptop.get("/api/v1/me").status_code == 200

    response = client.post("/account/delete/", {"confirmation": "DELETE"})
    assert response.status_code == 200
    assert response.context["restore_code"]
    assert laptop.get("/api/v1/me").status_code == 401
    assert DeletionRequest.objects.filter(user=verified_user).exists()
    assert client.get("/account/privacy/").status_code == 302


def test_account_pages_need_a_signed_in_browser(client):
    for path in ["/account/devices/", "/account/privacy/", "/account/claim/", "/account/delete/"]:
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
