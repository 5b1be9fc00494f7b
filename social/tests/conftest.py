import pytest

from accounts.services import user_profile_update


@pytest.fixture
def open_to_requests():
    """`open_to_requests(user)`: the user chose to welcome friend requests."""

    def open_(user):
        return user_profile_update(user=user, changes={"allow_friend_requests": True})

    return open_
