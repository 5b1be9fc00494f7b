"""`POST /api/v1/me/export`: one JSON document of everything kept about the user."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import extensions
from accounts.models import DataExport, Device
from accounts.tasks import remove_expired_artifacts

pytestmark = pytest.mark.django_db


@pytest.fixture
def export_ready(device_client, verified_user, django_capture_on_commit_callbacks):
    """Maya's export, built by the task queued when her request committed."""
    client = device_client(verified_user)
    device_client(verified_user, name="Desktop", platform="darwin")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/api/v1/me/export")
    assert response.status_code == 202
    assert len(callbacks) == 1
    return client, response.json()["exportId"]


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_export_is_queued_on_commit_and_reports_pending_until_built(
    device_client, verified_user, django_capture_on_commit_callbacks
):
    client = device_client(verified_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        export_id = client.post("/api/v1/me/export").json()["exportId"]
        assert client.get(f"/api/v1/me/export/{export_id}").json() == {"status": "pending"}
    assert len(callbacks) == 1
    callbacks[0]()
    assert client.get(f"/api/v1/me/export/{export_id}").json()["status"] == "ready"


def test_a_ready_export_has_an_expiring_download_link(export_ready):
    client, export_id = export_ready
    body = client.get(f"/api/v1/me/export/{export_id}").json()
    assert body["status"] == "ready"
    expires_at = timezone.datetime.fromisoformat(body["expiresAt"])
    assert timezone.now() + timedelta(hours=23) < expires_at <= timezone.now() + timedelta(hours=24)
    assert "signature=" in body["downloadUrl"]


def test_the_export_holds_everything_kept_about_the_user_and_no_token_hashes(
    export_ready, verified_user, monkeypatch
):
    client, export_id = export_ready
    url = client.get(f"/api/v1/me/export/{export_id}").json()["downloadUrl"]
    response = APIClient().get(path_of(url))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    document = response.json()

    assert document["version"] == 1
    assert "devices" in document["schema"]
    assert document["profile"]["userId"] == str(verified_user.pk)
    assert document["profile"]["email"] == "maya@example.com"
    assert document["profile"]["displayName"] == "Maya"
    assert document["privacy"]["leaderboard"]["global"] == "hidden"
    assert document["emailAddresses"] == [
        {"email": "maya@example.com", "verified": True, "primary": True}
    ]
    assert {d["name"] for d in document["devices"]} == {"Laptop", "Desktop"}
    hashes = Device.objects.values_list("token_hash", flat=True)
    assert not any(token_hash in response.content.decode() for token_hash in hashes)
    for section in extensions.export_sections:
        assert section in document


def test_each_registered_export_section_is_in_the_document(
    device_client, verified_user, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(extensions.export_sections, "syncedDays", lambda user: [{"xp": 12}])
    client = device_client(verified_user)
    with django_capture_on_commit_callbacks(execute=True):
        export_id = client.post("/api/v1/me/export").json()["exportId"]
    document = DataExport.objects.get(pk=export_id).document
    assert document["syncedDays"] == [{"xp": 12}]


def test_a_section_that_breaks_marks_the_export_failed(
    device_client, verified_user, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(extensions.export_sections, "broken", lambda user: 1 / 0)
    client = device_client(verified_user)
    with django_capture_on_commit_callbacks(execute=True):
        export_id = client.post("/api/v1/me/export").json()["exportId"]
    assert client.get(f"/api/v1/me/export/{export_id}").json() == {"status": "failed"}


def test_the_owner_downloads_with_the_bearer_token(export_ready):
    client, export_id = export_ready
    response = client.get(f"/api/v1/me/export/{export_id}/download")
    assert response.status_code == 200
    assert response.json()["version"] == 1


def test_another_users_export_is_404_everywhere(export_ready, device_client, stranger):
    client, export_id = export_ready
    url = path_of(client.get(f"/api/v1/me/export/{export_id}").json()["downloadUrl"])
    sam = device_client(stranger)
    assert sam.get(f"/api/v1/me/export/{export_id}").status_code == 404
    assert sam.get(f"/api/v1/me/export/{export_id}/download").status_code == 404
    # Even holding Maya's signed link, Sam's token does not make it his.
    assert sam.get(url).status_code == 404


def test_a_link_without_or_with_a_forged_signature_is_404(export_ready):
    _, export_id = export_ready
    anyone = APIClient()
    assert anyone.get(f"/api/v1/me/export/{export_id}/download").status_code == 404
    forged = f"/api/v1/me/export/{export_id}/download?signature=abc:def"
    assert anyone.get(forged).status_code == 404


def test_the_link_stops_working_when_the_export_expires(export_ready):
    client, export_id = export_ready
    url = path_of(client.get(f"/api/v1/me/export/{export_id}").json()["downloadUrl"])
    DataExport.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert APIClient().get(url).status_code == 404
    assert client.get(f"/api/v1/me/export/{export_id}/download").status_code == 404
    remove_expired_artifacts()
    assert not DataExport.objects.exists()
    assert client.get(f"/api/v1/me/export/{export_id}").status_code == 404


def test_asking_twice_while_pending_answers_the_same_export(
    device_client, verified_user, django_capture_on_commit_callbacks
):
    client = device_client(verified_user)
    with django_capture_on_commit_callbacks(execute=False):
        first = client.post("/api/v1/me/export").json()["exportId"]
        second = client.post("/api/v1/me/export").json()["exportId"]
    assert first == second


def test_export_needs_a_token(api):
    assert api.post("/api/v1/me/export").status_code == 401


def test_an_export_lost_on_the_way_is_started_afresh_and_later_tidied(
    device_client, verified_user, django_capture_on_commit_callbacks
):
    client = device_client(verified_user)
    with django_capture_on_commit_callbacks(execute=False):
        lost = client.post("/api/v1/me/export").json()["exportId"]
    DataExport.objects.update(created_at=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        fresh = client.post("/api/v1/me/export").json()["exportId"]
    assert fresh != lost
    assert client.get(f"/api/v1/me/export/{fresh}").json()["status"] == "ready"

    DataExport.objects.filter(pk=lost).update(created_at=timezone.now() - timedelta(days=2))
    remove_expired_artifacts()
    assert [str(pk) for pk in DataExport.objects.values_list("id", flat=True)] == [fresh]
