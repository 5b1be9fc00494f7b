"""`GET` and `PATCH /api/v1/me`: the profile, its privacy, and the sections other apps add."""

import pytest
from django.forms.models import model_to_dict

from accounts import extensions
from accounts.models import User
from accounts.services import user_sync_enable

pytestmark = pytest.mark.django_db

ME_FIELDS = {
    "userId", "displayName", "avatarUrl", "timezone", "email", "emailVerified", "friendCode",
    "tier", "features", "limits", "syncEnabled", "syncEnabledAt", "eligibility", "privacy",
    "createdAt", "billing",
}  # fmt: skip


def row(user: User) -> dict:
    return model_to_dict(User.objects.get(pk=user.pk))


def test_me_shows_the_profile_with_private_defaults(device_client, verified_user, monkeypatch):
    # With no app registering it, `eligibility` is null (progression fills it in when present).
    monkeypatch.delitem(extensions.profile_sections, "eligibility", raising=False)
    body = device_client(verified_user).get("/api/v1/me").json()
    assert set(body) == ME_FIELDS
    assert body["userId"] == str(verified_user.pk)
    assert body["displayName"] == "Maya"
    assert body["email"] == "maya@example.com" and body["emailVerified"] is True
    assert body["friendCode"] == verified_user.friend_code
    assert body["tier"] == "free"
    assert body["limits"]["analyticsHistoryDays"] == 30
    assert body["features"]["crossDeviceSync"] is True
    assert body["syncEnabled"] is False and body["syncEnabledAt"] is None
    assert body["eligibility"] is None
    assert body["privacy"] == {
        "shareProgress": False,
        "shareStreaks": False,
        "allowFriendRequests": False,
        "dataRetentionDays": 365,
        "leaderboard": {"global": "hidden", "friends": False, "company": False},
    }


def test_an_anonymous_account_has_no_email(device_client, anonymous_user):
    body = device_client(anonymous_user).get("/api/v1/me").json()
    assert body["email"] is None and body["emailVerified"] is False


def test_an_unverified_email_does_not_count(device_client, anonymous_user):
    from allauth.account.models import EmailAddress

    anonymous_user.email = "new@example.com"
    anonymous_user.save()
    EmailAddress.objects.create(user=anonymous_user, email="new@example.com", verified=False)
    body = device_client(anonymous_user).get("/api/v1/me").json()
    assert body["email"] == "new@example.com" and body["emailVerified"] is False


def test_sync_enable_shows_in_me_and_keeps_the_first_time(device_client, verified_user):
    first = user_sync_enable(user=verified_user)
    assert user_sync_enable(user=verified_user) == first
    assert User.objects.get(pk=verified_user.pk).user_is_sync_enabled
    body = device_client(verified_user).get("/api/v1/me").json()
    assert body["syncEnabled"] is True
    assert body["syncEnabledAt"].replace("Z", "+00:00") == first.isoformat()


def test_sections_registered_by_higher_apps_appear_in_me(device_client, verified_user, monkeypatch):
    monkeypatch.setitem(extensions.profile_sections, "eligibility", lambda user: {"eligible": 1})
    monkeypatch.setitem(extensions.profile_sections, "badges", lambda user: [str(user.pk)])
    body = device_client(verified_user).get("/api/v1/me").json()
    assert body["eligibility"] == {"eligible": 1}
    assert body["badges"] == [str(verified_user.pk)]


def test_patch_changes_profile_and_nested_privacy_partially(device_client, verified_user):
    client = device_client(verified_user)
    response = client.patch(
        "/api/v1/me",
        {
            "displayName": "  Maya R.  ",
            "avatarUrl": "https://example.com/maya.png",
            "timezone": "Europe/Berlin",
            "privacy": {"shareStreaks": True, "leaderboard": {"global": "anonymous"}},
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["displayName"] == "Maya R."
    assert body["avatarUrl"] == "https://example.com/maya.png"
    assert body["timezone"] == "Europe/Berlin"
    assert body["privacy"]["shareStreaks"] is True
    assert body["privacy"]["shareProgress"] is False
    assert body["privacy"]["leaderboard"] == {
        "global": "anonymous",
        "friends": False,
        "company": False,
    }

    client.patch("/api/v1/me", {"privacy": {"leaderboard": {"friends": True}}})
    user = User.objects.get(pk=verified_user.pk)
    assert (user.leaderboard_global, user.leaderboard_friends) == ("anonymous", True)
    assert user.share_streaks is True

    cleared = client.patch("/api/v1/me", {"avatarUrl": ""})
    assert cleared.json()["avatarUrl"] == ""


BAD_INPUT = [
    ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ({"timezone": "../../etc/passwd"}, "timezone"),
    ({"avatarUrl": "http://example.com/a.png"}, "avatarUrl"),
    ({"avatarUrl": "javascript:alert(1)"}, "avatarUrl"),
    ({"displayName": "x" * 10_000}, "displayName"),
    ({"displayName": "   "}, "displayName"),
    ({"displayName": "tab\there"}, "displayName"),
    ({"privacy": {"dataRetentionDays": 5}}, "privacy"),
    ({"privacy": {"leaderboard": {"global": "everyone"}}}, "privacy"),
    ({"privacy": "open"}, "privacy"),
    ({"isStaff": True}, "isStaff"),
    ({"privacy": {"shareEverything": True}}, "privacy"),
]


@pytest.mark.parametrize(("payload", "field"), BAD_INPUT)
def test_bad_input_answers_400_in_the_contract_shape_and_changes_nothing(
    device_client, verified_user, payload, field
):
    before = row(verified_user)
    # A valid change rides along: it must not be saved either.
    response = device_client(verified_user).patch("/api/v1/me", {"displayName": "New", **payload})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["detail"]
    assert field in body["errors"]
    assert row(verified_user) == before


def test_nested_errors_are_keyed_by_camel_case_names(device_client, verified_user):
    response = device_client(verified_user).patch(
        "/api/v1/me", {"privacy": {"dataRetentionDays": 1, "leaderboard": {"global": "x"}}}
    )
    errors = response.json()["errors"]["privacy"]
    assert "dataRetentionDays" in errors
    assert "global" in errors["leaderboard"]


def test_patch_with_no_token_is_401(api):
    assert api.patch("/api/v1/me", {"displayName": "Hacker"}).status_code == 401
