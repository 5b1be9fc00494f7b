import pytest

from accounts.services import user_sync_enable


@pytest.fixture
def synced_user(verified_user):
    """Maya, who has turned sync on and so may link more devices."""
    user_sync_enable(user=verified_user)
    return verified_user


def token_client(api, token: str):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api
