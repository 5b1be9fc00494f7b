"""`POST /api/v1/auth/anonymous`: an account with no personal data, and its first device."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Device, User, hash_token

pytestmark = pytest.mark.django_db


def test_anonymous_signup_answers_a_token_that_works(api):
    response = api.post(
        "/api/v1/auth/anonymous", {"deviceName": "Work laptop", "platform": "win32"}
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"token", "userId", "deviceId"}

    user = User.objects.get(pk=body["userId"])
    assert user.email is None and user.display_name == "" and not user.has_usable_password()
    device = Device.objects.get(pk=body["deviceId"])
    assert (device.user, device.name, device.platform) == (user, "Work laptop", "win32")

    me = APIClient()
    me.credentials(HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert me.get("/api/v1/me").json()["userId"] == body["userId"]


def test_the_token_is_stored_only_as_a_hash(api):
    token = api.post("/api/v1/auth/anonymous", {"deviceName": "Laptop"}).json()["token"]
    assert not Device.objects.filter(token_hash=token).exists()
    assert Device.objects.filter(token_hash=hash_token(token)).exists()


def test_anonymous_signup_needs_a_device_name_and_refuses_unknown_fields(api):
    missing = api.post("/api/v1/auth/anonymous", {})
    assert missing.status_code == 400
    assert missing.json()["code"] == "invalid"
    assert "deviceName" in missing.json()["errors"]

    extra = api.post("/api/v1/auth/anonymous", {"deviceName": "x", "email": "a@b.c"})
    assert extra.status_code == 400
    assert "email" in extra.json()["errors"]
    assert not User.objects.exists()


def test_a_dozen_machines_sign_up_but_a_flood_is_stopped_with_retry_after(api):
    for number in range(12):
        response = api.post("/api/v1/auth/anonymous", {"deviceName": f"Machine {number}"})
        assert response.status_code == 201
    statuses = [
        api.post("/api/v1/auth/anonymous", {"deviceName": "more"}).status_code for _ in range(20)
    ]
    assert statuses.count(201) == 8  # the configured 20 an hour from one address
    flooded = api.post("/api/v1/auth/anonymous", {"deviceName": "more"})
    assert flooded.status_code == 429
    assert flooded.json()["code"] == "rate_limited"
    assert int(flooded["Retry-After"]) > 0
    assert User.objects.count() == 20


def test_the_limit_is_per_address(api):
    for _ in range(20):
        api.post("/api/v1/auth/anonymous", {"deviceName": "Laptop"}, REMOTE_ADDR="10.0.0.1")
    other = api.post("/api/v1/auth/anonymous", {"deviceName": "Laptop"}, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 201
