"""`GET /api/v1/devices` and `DELETE /api/v1/devices/{id}`: one's own devices, and only those."""

import pytest

from accounts.models import Device

pytestmark = pytest.mark.django_db


def test_devices_lists_own_devices_and_marks_the_calling_one(
    device_client, verified_user, stranger
):
    laptop = device_client(verified_user, name="Laptop", platform="linux")
    desktop = device_client(verified_user, name="Desktop", platform="darwin")
    device_client(stranger, name="Sam's laptop")

    response = laptop.get("/api/v1/devices")
    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    by_name = {device["name"]: device for device in body["results"]}
    assert set(by_name) == {"Laptop", "Desktop"}
    assert by_name["Laptop"]["current"] is True
    assert by_name["Desktop"]["current"] is False
    assert by_name["Desktop"]["id"] == str(desktop.device.pk)
    assert set(by_name["Desktop"]) == {
        "id",
        "name",
        "platform",
        "createdAt",
        "lastSeenAt",
        "current",
    }
    assert "token" not in str(body) and "Hash" not in str(body)


def test_devices_are_paginated_with_a_cursor(device_client, verified_user):
    client = device_client(verified_user, name="Device 0")
    for number in range(1, 5):
        device_client(verified_user, name=f"Device {number}")
    first = client.get("/api/v1/devices?pageSize=3").json()
    assert len(first["results"]) == 3 and first["next"]
    second = client.get(f"/api/v1/devices?pageSize=3&cursor={first['next']}").json()
    assert len(second["results"]) == 2 and second["next"] is None
    names = {d["name"] for d in first["results"] + second["results"]}
    assert names == {f"Device {n}" for n in range(5)}


def test_revoking_a_device_stops_its_token_at_once(device_client, verified_user):
    laptop = device_client(verified_user, name="Laptop")
    desktop = device_client(verified_user, name="Desktop")

    response = laptop.delete(f"/api/v1/devices/{desktop.device.pk}")
    assert response.status_code == 204
    assert desktop.get("/api/v1/me").status_code == 401
    assert laptop.get("/api/v1/me").status_code == 200
    assert [d["name"] for d in laptop.get("/api/v1/devices").json()["results"]] == ["Laptop"]


def test_a_device_can_sign_itself_out(device_client, verified_user):
    laptop = device_client(verified_user)
    assert laptop.delete(f"/api/v1/devices/{laptop.device.pk}").status_code == 204
    assert laptop.get("/api/v1/devices").status_code == 401


def test_another_users_device_is_404_and_stays_signed_in(device_client, verified_user, stranger):
    maya = device_client(verified_user)
    sam = device_client(stranger)

    response = sam.delete(f"/api/v1/devices/{maya.device.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    maya.device.refresh_from_db()
    assert maya.device.revoked_at is None
    assert maya.get("/api/v1/me").status_code == 200


def test_an_unknown_or_already_revoked_device_is_404(device_client, verified_user):
    laptop = device_client(verified_user)
    desktop = device_client(verified_user, name="Desktop")
    laptop.delete(f"/api/v1/devices/{desktop.device.pk}")
    assert laptop.delete(f"/api/v1/devices/{desktop.device.pk}").status_code == 404
    unknown = "00000000-0000-0000-0000-000000000000"
    assert laptop.delete(f"/api/v1/devices/{unknown}").status_code == 404


def test_devices_need_a_token(api):
    assert api.get("/api/v1/devices").status_code == 401


def test_last_seen_is_recorded_when_a_device_calls(device_client, verified_user):
    laptop = device_client(verified_user)
    assert laptop.device.last_seen_at is None
    laptop.get("/api/v1/me")
    assert Device.objects.get(pk=laptop.device.pk).last_seen_at is not None
