import itertools
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from accounts.services import user_profile_update, user_sync_enable
from social.leaderboards.windows import utc_today

_numbers = itertools.count(1)


@pytest.fixture
def open_to_requests():
    """`open_to_requests(user)`: the user chose to welcome friend requests."""

    def open_(user):
        return user_profile_update(user=user, changes={"allow_friend_requests": True})

    return open_


@pytest.fixture
def member(db, device_client):
    """`member(name, email=..., **privacy)`: a person with sync on and a device token.

    `email=None` makes an anonymous account (no email at all). Privacy keys are the model's
    (`leaderboard_global="named"`, `share_streaks=True`, ...); defaults stay closed.
    """

    def make(name: str, email: str | None = "", *, verified=True, sync=True, **privacy):
        if email == "":
            email = f"{name.lower()}{next(_numbers)}@calm{next(_numbers)}.example"
        user = User.objects.create_user(
            email=email, password="calm-breath-42", display_name=name if email else ""
        )
        if email:
            EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
        if privacy:
            user_profile_update(user=user, changes=privacy)
        if sync:
            user_sync_enable(user=user)
        user.client = device_client(user)
        return user

    return make


def day(offset: int = 0):
    """Today's UTC date moved by `offset` days: board windows contain today's UTC date."""
    return utc_today() + timedelta(days=offset)


@pytest.fixture
def sync_days(django_capture_on_commit_callbacks):
    """`sync_days(user, {date: xp})` or `{date: (xp, sessions, minutes)}` through `/sync`."""

    def send(user, days: dict):
        body = {"days": []}
        for date, counters in days.items():
            xp, sessions, minutes = counters if isinstance(counters, tuple) else (counters, 1, 10)
            body["days"].append(
                {"date": date.isoformat(), "xp": xp, "sessions": sessions, "minutes": minutes}
            )
        with django_capture_on_commit_callbacks(execute=True):
            response = user.client.post("/api/v1/sync", body, format="json")
        assert response.status_code == 200, response.content
        return response.json()

    return send


@pytest.fixture
def befriend(open_to_requests):
    def make(one, other):
        from social import services

        open_to_requests(other)
        request = services.friend_request_send(from_user=one, friend_code=other.friend_code)
        services.friend_request_accept(request=request, by=other)

    return make
