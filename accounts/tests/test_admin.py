"""Staff look after accounts in Django admin: find, sign out, schedule deletion."""

import pytest

from accounts.models import DeletionRequest, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.mark.parametrize("term", ["maya@example", "Maya", "FRIEND_CODE", "USER_ID"])
def test_users_are_found_by_email_name_friend_code_or_id(staff_client, verified_user, term):
    term = {"FRIEND_CODE": verified_user.friend_code, "USER_ID": str(verified_user.pk)}.get(
        term, term
    )
    response = staff_client.get("/admin/accounts/user/", {"q": term})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [verified_user]


def test_a_search_that_is_not_an_id_still_answers(staff_client, verified_user):
    response = staff_client.get("/admin/accounts/user/", {"q": "not-a-uuid"})
    assert response.status_code == 200


def test_the_user_page_lists_devices_without_token_hashes(
    staff_client, verified_user, device_client
):
    laptop = device_client(verified_user, name="Maya's laptop")
    response = staff_client.get(f"/admin/accounts/user/{verified_user.pk}/change/")
    assert response.status_code == 200
    assert b"Maya&#x27;s laptop" in response.content
    assert laptop.device.token_hash.encode() not in response.content


def test_staff_can_sign_out_all_devices_of_a_user(staff_client, verified_user, device_client):
    laptop = device_client(verified_user)
    response = staff_client.post(
        "/admin/accounts/user/",
        {"action": "revoke_all_devices", "_selected_action": [str(verified_user.pk)]},
    )
    assert response.status_code == 302
    assert laptop.get("/api/v1/me").status_code == 401


def test_staff_can_schedule_a_deletion(staff_client, verified_user, device_client):
    laptop = device_client(verified_user)
    staff_client.post(
        "/admin/accounts/user/",
        {"action": "schedule_deletion", "_selected_action": [str(verified_user.pk)]},
    )
    assert laptop.get("/api/v1/me").status_code == 401
    assert DeletionRequest.objects.get().user == verified_user
    assert User.objects.get(pk=verified_user.pk).is_active is False
    assert staff_client.get("/admin/accounts/deletionrequest/").status_code == 200


def test_staff_can_find_and_revoke_devices(staff_client, verified_user, device_client):
    laptop = device_client(verified_user, name="Kitchen PC")
    listing = staff_client.get("/admin/accounts/device/", {"q": "Kitchen"})
    assert list(listing.context["cl"].result_list) == [laptop.device]
    staff_client.post(
        "/admin/accounts/device/",
        {"action": "revoke", "_selected_action": [str(laptop.device.pk)]},
    )
    assert laptop.get("/api/v1/me").status_code == 401
