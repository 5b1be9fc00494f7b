"""`GET|PATCH /api/v1/notifications/preferences` with a real device token."""

import pytest

from notifications.models import NotificationPreference

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/preferences"


def test_preferences_start_with_email_off_in_the_profiles_timezone(device_client, verified_user):
    verified_user.timezone = "Europe/Berlin"
    verified_user.save()
    body = device_client(verified_user).get(URL).json()
    assert body["email"] == {
        "enabled": False,
        "frequency": "daily",
        "timeOfDay": "09:00",
        "timezone": "Europe/Berlin",
        "types": {
            "streakReminder": True,
            "challengeDeadline": True,
            "weeklyProgress": True,
            "friendActivity": False,
            "levelUpCelebration": True,
        },
    }
    assert set(body["inApp"]) == {
        "celebrateAchievements",
        "showDailyProgress",
        "highlightNewFeatures",
        "friendActivity",
    }
    assert not NotificationPreference.objects.exists()  # a GET writes nothing


def test_a_verified_user_turns_email_on_and_chooses_when(device_client, verified_user):
    client = device_client(verified_user)
    answer = client.patch(
        URL,
        {
            "email": {
                "enabled": True,
                "frequency": "weekly",
                "timeOfDay": "07:30",
                "timezone": "America/New_York",
                "types": {"friendActivity": True, "weeklyProgress": False},
            },
            "inApp": {"highlightNewFeatures": True},
        },
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    email = client.get(URL).json()["email"]
    assert email["enabled"] is True
    assert (email["frequency"], email["timeOfDay"], email["timezone"]) == (
        "weekly",
        "07:30",
        "America/New_York",
    )
    assert email["types"]["friendActivity"] is True
    assert email["types"]["weeklyProgress"] is False
    assert email["types"]["streakReminder"] is True
    assert client.get(URL).json()["inApp"]["highlightNewFeatures"] is True


def test_email_needs_a_verified_address(device_client, anonymous_user):
    client = device_client(anonymous_user)
    answer = client.patch(URL, {"email": {"enabled": True, "timeOfDay": "08:00"}}, format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "email_not_verified"
    assert client.get(URL).json()["email"]["timeOfDay"] == "09:00"
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": {"timeOfDay": "25:99"}}, "timeOfDay"),
        ({"email": {"timeOfDay": "9am"}}, "timeOfDay"),
        ({"email": {"timezone": "Mars/Olympus_Mons"}}, "timezone"),
        ({"email": {"timezone": "../../etc/passwd"}}, "timezone"),
        # Pseudo-zones PostgreSQL knows too: refused as the profile refuses them (one rule).
        ({"email": {"timezone": "localtime"}}, "timezone"),
        ({"email": {"timezone": "Factory"}}, "timezone"),
        ({"email": {"timezone": "posixrules"}}, "timezone"),
        ({"email": {"frequency": "hourly"}}, "frequency"),
        ({"email": {"types": {"spamEveryHour": True}}}, "types"),
        ({"email": {"enabled": "yes"}}, "enabled"),
    ],
)
def test_bad_preferences_are_400_and_change_nothing(device_client, verified_user, body, field):
    client = device_client(verified_user)
    client.patch(URL, {"email": {"enabled": True, "timeOfDay": "06:15"}}, format="json")
    before = client.get(URL).json()
    # The good change beside the bad one must not be stored either.
    body = {**body, "inApp": {"highlightNewFeatures": True}}
    answer = client.patch(URL, body, format="json")
    assert answer.status_code == 400
    error = answer.json()
    assert error["code"] == "invalid"
    assert error["detail"]
    assert field in error["errors"]["email"]
    assert client.get(URL).json() == before


def test_unknown_sections_and_non_objects_are_400(device_client, verified_user):
    client = device_client(verified_user)
    for body in ({"push": {"enabled": True}}, ["email"], {"email": "on"}, {"inApp": {"x": 1}}):
        answer = client.patch(URL, body, format="json")
        assert answer.status_code == 400, body
        assert answer.json()["code"] == "invalid"
    assert not NotificationPreference.objects.exists()


def test_preferences_need_a_token(api):
    assert api.get(URL).status_code == 401
    assert api.patch(URL, {}, format="json").status_code == 401
