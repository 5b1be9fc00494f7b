"""The session engine (accounts.sessions) reads a session back, and only while it lasts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import UserSession


@pytest.mark.django_db
def test_a_session_signs_its_user_in_until_it_expires(client, verified_user):
    client.force_login(verified_user)
    assert client.get("/dashboard/").status_code == 200
    assert client.session["_auth_user_id"] == str(verified_user.pk)

    UserSession.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    answer = client.get("/dashboard/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_an_unknown_session_key_is_a_stranger(client, verified_user):
    client.force_login(verified_user)
    client.cookies["sessionid"] = "x" * 32  # well formed, never issued
    answer = client.get("/dashboard/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")
