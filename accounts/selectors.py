from accounts.models import User


def user_is_sync_enabled(*, user: User) -> bool:
    return user.sync_enabled_at is not None
