"""The periodic jobs of accounts: tidy expired artifacts, erase due accounts."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Device, SyncCode
from accounts.services import sync_code_create, sync_code_redeem, user_sync_enable
from accounts.services.sync_codes import sync_code_hash
from accounts.tasks import remove_expired_artifacts
from breathmaster.api.errors import ApplicationError

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
    outcomes = []
    barrier = threading.Barrier(4)

    def redeem(name):
        try:
            barrier.wait()
            sync_code_redeem(code=code, device_name=name)
            outcomes.append("joined")
        except ApplicationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=redeem, args=(f"Device {n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["invalid_sync_code"] * 3 + ["joined"]
    assert Device.objects.filter(user=verified_user).count() == 1
