"""Sync codes: made by a signed-in device once sync is on, redeemed once by a new device."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Device, SyncCode
from accounts.services.sync_codes import sync_code_hash

pytestmark = pytest.mark.django_db

CODE_FORMAT = re.compile(r"^BM-[a-z0-9]{6}-[a-z0-9]{6}$")


def redeem(code: str, name: str = "Desktop"):
    return APIClient().post(
        "/api/v1/auth/sync-codes/redeem", {"code": code, "deviceName": name, "platform": "darwin"}
    )


def test_making_a_sync_code_needs_sync_enabled(device_client, verified_user):
    client = device_client(verified_user)
    response = client.post("/api/v1/auth/sync-codes")
    assert response.status_code == 403
    assert response.json()["code"] == "sync_not_enabled"
    assert not SyncCode.objects.exists()


def test_a_sync_code_is_short_lived_and_stored_only_as_a_hash(device_client, synced_user):
    before = timezone.now()
    response = device_client(synced_user).post("/api/v1/auth/sync-codes")
    assert response.status_code == 201
    body = response.json()
    assert CODE_FORMAT.match(body["code"])
    expires_at = timezone.datetime.fromisoformat(body["expiresAt"])
    assert before + timedelta(minutes=9) < expires_at <= timezone.now() + timedelta(minutes=10)
    stored = SyncCode.objects.get()
    assert stored.code_hash != body["code"] and body["code"].lower() not in stored.code_hash
    assert stored.code_hash == sync_code_hash(body["code"])


def test_redeeming_a_code_joins_a_new_device_to_the_same_account(device_client, synced_user):
    laptop = device_client(synced_user)
    code = laptop.post("/api/v1/auth/sync-codes").json()["code"]

    response = redeem(code)
    assert response.status_code == 201
    body = response.json()
    assert body["userId"] == str(synced_user.pk)
    desktop = APIClient()
    desktop.credentials(HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert desktop.get("/api/v1/me").json()["userId"] == str(synced_user.pk)
    names = {d["name"] for d in laptop.get("/api/v1/devices").json()["results"]}
    assert names == {"Laptop", "Desktop"}


def test_codes_are_read_case_insensitively_and_with_spaces(device_client, synced_user):
    code = device_client(synced_user).post("/api/v1/auth/sync-codes").json()["code"]
    assert redeem(f"  {code.upper()} ").status_code == 201


def test_a_code_works_only_once(device_client, synced_user):
    code = device_client(synced_user).post("/api/v1/auth/sync-codes").json()["code"]
    assert redeem(code).status_code == 201
    again = redeem(code, name="Third")
    assert again.status_code == 400
    assert again.json()["code"] == "invalid_sync_code"
    assert not Device.objects.filter(name="Third").exists()


def test_an_expired_code_is_refused_and_nothing_changes(device_client, synced_user):
    code = device_client(synced_user).post("/api/v1/auth/sync-codes").json()["code"]
    SyncCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    devices_before = Device.objects.count()

    response = redeem(code)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_sync_code"
    assert Device.objects.count() == devices_before
    assert SyncCode.objects.get().used_at is None


@pytest.mark.parametrize("code", ["BM-aaaaaa-aaaaaa", "not a code", "", "BM-" + "x" * 60])
def test_a_wrong_code_answers_400_invalid_sync_code(device_client, synced_user, code):
    device_client(synced_user).post("/api/v1/auth/sync-codes")
    devices_before = Device.objects.count()
    response = redeem(code)
    assert response.status_code == 400
    assert response.json()["code"] in {"invalid_sync_code", "invalid"}
    if code.startswith("BM-aaaaaa"):
        assert response.json()["code"] == "invalid_sync_code"
    assert Device.objects.count() == devices_before
    assert SyncCode.objects.get().used_at is None


def test_a_code_of_an_account_scheduled_for_deletion_does_not_work(device_client, synced_user):
    laptop = device_client(synced_user)
    code = laptop.post("/api/v1/auth/sync-codes").json()["code"]
    laptop.delete("/api/v1/me")
    assert redeem(code).json()["code"] == "invalid_sync_code"


def test_ten_codes_in_ten_minutes_are_fine_then_429_with_retry_after(device_client, synced_user):
    laptop = device_client(synced_user)
    desktop = device_client(synced_user, name="Desktop")
    for _ in range(6):
        assert laptop.post("/api/v1/auth/sync-codes").status_code == 201
        assert desktop.post("/api/v1/auth/sync-codes").status_code == 201
    flooded = laptop.post("/api/v1/auth/sync-codes")
    assert flooded.status_code == 429
    assert int(flooded["Retry-After"]) > 0
    assert SyncCode.objects.count() == 12


def test_one_accounts_limit_does_not_touch_another(device_client, synced_user, friend):
    from accounts.services import user_sync_enable

    user_sync_enable(user=friend)
    for _ in range(12):
        device_client(synced_user).post("/api/v1/auth/sync-codes")
    assert device_client(friend).post("/api/v1/auth/sync-codes").status_code == 201


def test_making_sync_codes_needs_a_token(api):
    assert api.post("/api/v1/auth/sync-codes").status_code == 401


def test_redeeming_is_throttled_per_address(api):
    statuses = [
        api.post(
            "/api/v1/auth/sync-codes/redeem", {"code": "BM-aaaaaa-aaaaaa", "deviceName": "x"}
        ).status_code
        for _ in range(31)
    ]
    assert statuses[:30] == [400] * 30
    assert statuses[30] == 429
