"""The periodic jobs of accounts: tidy expired artifacts, erase due accounts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Device, SyncCode
from accounts.services import sync_code_create, sync_code_redeem, user_sync_enable
from accounts.services.sync_codes import sync_code_hash
from accounts.tasks import remove_expired_artifacts
from breathmaster.api.errors import ApplicationError
from breathmaster.testing.concurrency import run_together

pytestmark = pytest.mark.django_db


def test_expired_and_used_sync_codes_are_removed(verified_user):
    user_sync_enable(user=verified_user)
    used, _ = sync_code_create(user=verified_user)
    sync_code_redeem(code=used, device_name="Desktop")
    stale, _ = sync_code_create(user=verified_user)
    fresh, _ = sync_code_create(user=verified_user)
    SyncCode.objects.filter(code_hash=sync_code_hash(stale)).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert remove_expired_artifacts() == 2
    assert SyncCode.objects.count() == 1
    assert sync_code_redeem(code=fresh, device_name="Laptop")[0].name == "Laptop"


@pytest.mark.django_db(transaction=True)
def test_two_devices_racing_with_one_code_get_one_device(verified_user):
    user_sync_enable(user=verified_user)
    code, _ = sync_code_create(user=verified_user)

    def redeem(index: int) -> str:
        try:
            sync_code_redeem(code=code, device_name=f"Device {index}")
        except ApplicationError as error:
            return error.code
        return "joined"

    outcomes = run_together(redeem, threads=4)
    assert sorted(outcomes) == ["invalid_sync_code"] * 3 + ["joined"]
    assert Device.objects.filter(user=verified_user).count() == 1
