"""The accounts tasks on a real Celery worker (Redis broker, committed rows)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import DeletionRequest, User
from accounts.tasks import erase_due_accounts
from breathmaster.testing.worker import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_builds_the_export_queued_on_commit(celery_worker, device_client, verified_user):
    client = device_client(verified_user)
    export_id = client.post("/api/v1/me/export").json()["exportId"]

    def ready():
        body = client.get(f"/api/v1/me/export/{export_id}").json()
        return body if body["status"] == "ready" else None

    body = wait_for(ready)
    document = client.get(body["downloadUrl"].split("testserver", 1)[1]).json()
    assert document["profile"]["userId"] == str(verified_user.pk)


def test_a_worker_erases_due_accounts(celery_worker, device_client, verified_user):
    device_client(verified_user).delete("/api/v1/me")
    DeletionRequest.objects.update(scheduled_for=timezone.now() - timedelta(seconds=1))
    erase_due_accounts.delay()
    wait_for(lambda: not User.objects.filter(pk=verified_user.pk).exists())
    assert DeletionRequest.objects.get().erased_at is not None
