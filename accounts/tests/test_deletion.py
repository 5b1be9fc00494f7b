"""Deleting an account: signed out at once, restorable for seven days, then erased for good."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import extensions
from accounts.models import DeletionRequest, Device, User
from accounts.services import user_erase
from accounts.tasks import erase_due_accounts
from breathmaster.testing.concurrency import run_together

pytestmark = pytest.mark.django_db


def restore(code: str, name: str = "New laptop", **extra):
    return APIClient().post(
        "/api/v1/auth/restore", {"restoreCode": code, "deviceName": name, **extra}
    )


def make_due() -> None:
    DeletionRequest.objects.update(scheduled_for=timezone.now() - timedelta(seconds=1))


def test_delete_me_signs_out_every_device_and_answers_a_restore_code(device_client, verified_user):
    laptop = device_client(verified_user)
    desktop = device_client(verified_user, name="Desktop")

    response = laptop.delete("/api/v1/me")
    assert response.status_code == 202
    body = response.json()
    assert set(body) == {"deletionScheduledFor", "restoreCode"}
    scheduled_for = timezone.datetime.fromisoformat(body["deletionScheduledFor"])
    assert timezone.now() + timedelta(days=6, hours=23) < scheduled_for
    assert scheduled_for <= timezone.now() + timedelta(days=7)

    assert laptop.get("/api/v1/me").status_code == 401
    assert desktop.get("/api/v1/devices").status_code == 401
    assert not Device.objects.filter(user=verified_user, revoked_at__isnull=True).exists()
    assert User.objects.get(pk=verified_user.pk).is_active is False
    request = DeletionRequest.objects.get()
    assert request.restore_code_hash and body["restoreCode"] not in request.restore_code_hash


def test_deletion_hooks_run_when_deletion_is_scheduled(device_client, verified_user, monkeypatch):
    cancelled = []
    monkeypatch.setattr(extensions, "deletion_hooks", [lambda user: cancelled.append(user.pk)])
    device_client(verified_user).delete("/api/v1/me")
    assert cancelled == [verified_user.pk]


def test_the_restore_code_undoes_the_deletion_once(device_client, verified_user):
    laptop = device_client(verified_user)
    code = laptop.delete("/api/v1/me").json()["restoreCode"]

    response = restore(code.upper(), platform="linux")
    assert response.status_code == 201
    body = response.json()
    assert body["userId"] == str(verified_user.pk)
    back = APIClient()
    back.credentials(HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert back.get("/api/v1/me").json()["displayName"] == "Maya"
    # The old tokens stay signed out: whoever deleted the account may have lost a device.
    assert laptop.get("/api/v1/me").status_code == 401
    request = DeletionRequest.objects.get()
    assert request.restored_at and request.user is None and request.restore_code_hash == ""

    again = restore(code)
    assert again.status_code == 400
    assert again.json()["code"] == "invalid_restore_code"
    make_due()
    assert erase_due_accounts() == 0
    assert User.objects.filter(pk=verified_user.pk, is_active=True).exists()


@pytest.mark.parametrize("code", ["wrong-code", "", "aaaaa-aaaaa-aaaaa-aaaaa"])
def test_a_wrong_restore_code_answers_400_and_changes_nothing(device_client, verified_user, code):
    device_client(verified_user).delete("/api/v1/me")
    devices_before = Device.objects.count()
    response = restore(code)
    assert response.status_code == 400
    assert response.json()["code"] in {"invalid_restore_code", "invalid"}
    if code:
        assert response.json()["code"] == "invalid_restore_code"
    assert Device.objects.count() == devices_before
    assert User.objects.get(pk=verified_user.pk).is_active is False


def test_a_restore_code_after_the_window_is_refused(device_client, verified_user):
    code = device_client(verified_user).delete("/api/v1/me").json()["restoreCode"]
    make_due()
    assert restore(code).json()["code"] == "invalid_restore_code"


def test_another_users_deletion_and_restore_touch_only_their_own_account(
    device_client, verified_user, stranger
):
    maya = device_client(verified_user)
    sam = device_client(stranger)
    maya_code = maya.delete("/api/v1/me").json()["restoreCode"]
    sam_code = sam.delete("/api/v1/me").json()["restoreCode"]

    sam_back = restore(sam_code).json()
    assert sam_back["userId"] == str(stranger.pk)
    assert User.objects.get(pk=verified_user.pk).is_active is False
    sam_client = APIClient()
    sam_client.credentials(HTTP_AUTHORIZATION=f"Bearer {sam_back['token']}")
    assert sam_client.get("/api/v1/me").json()["userId"] == str(stranger.pk)
    assert sam_client.get("/api/v1/devices").json()["results"][0]["name"] == "New laptop"
    assert restore(maya_code).json()["userId"] == str(verified_user.pk)


def test_restoring_is_throttled_per_address(api):
    statuses = [
        api.post("/api/v1/auth/restore", {"restoreCode": "nope", "deviceName": "x"}).status_code
        for _ in range(21)
    ]
    assert statuses[:20] == [400] * 20
    assert statuses[20] == 429


def test_signing_in_on_the_web_inside_the_window_restores_a_verified_account(
    client, device_client, verified_user
):
    device_client(verified_user).delete("/api/v1/me")
    response = client.post(
        "/accounts/login/", {"login": "maya@example.com", "password": "calm-breath-42"}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=verified_user.pk).is_active is True
    assert DeletionRequest.objects.get().restored_at is not None
    assert client.get("/account/privacy/").status_code == 200


def test_signing_in_after_the_window_does_not_restore(client, device_client, verified_user):
    device_client(verified_user).delete("/api/v1/me")
    make_due()
    client.post("/accounts/login/", {"login": "maya@example.com", "password": "calm-breath-42"})
    assert User.objects.get(pk=verified_user.pk).is_active is False
    assert client.get("/account/privacy/").status_code == 302


def test_a_scheduled_account_is_not_erased_before_its_time(device_client, verified_user):
    device_client(verified_user).delete("/api/v1/me")
    assert erase_due_accounts() == 0
    assert User.objects.filter(pk=verified_user.pk).exists()


def test_due_accounts_are_erased_and_erasure_hooks_run_first(
    device_client, verified_user, friend, monkeypatch
):
    seen = []
    monkeypatch.setattr(
        extensions,
        "erasure_hooks",
        [lambda user: seen.append(User.objects.filter(pk=user.pk).exists())],
    )
    device_client(verified_user).delete("/api/v1/me")
    device_client(friend)
    make_due()

    assert erase_due_accounts() == 1
    assert seen == [True]
    assert not User.objects.filter(pk=verified_user.pk).exists()
    assert User.objects.filter(pk=friend.pk).exists()
    request = DeletionRequest.objects.get()
    assert request.erased_at and request.user is None and request.restore_code_hash == ""
    assert erase_due_accounts() == 0


@pytest.mark.django_db(transaction=True)
def test_two_erasers_at_once_erase_each_account_exactly_once(device_client, verified_user):
    device_client(verified_user).delete("/api/v1/me")
    make_due()
    request_id = DeletionRequest.objects.get().pk
    results = run_together(lambda _: user_erase(deletion_request_id=request_id), threads=2)
    assert sorted(results) == [False, True]
    assert not User.objects.filter(pk=verified_user.pk).exists()
