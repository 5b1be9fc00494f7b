"""Staff's open questions about a user's progress (flagged days stay stored, count nowhere)."""

from accounts.models import User
from progression.models import SyncFlag


def user_is_flagged(*, user: User) -> bool:
    """Whether staff have an open question about this user's days (kept off leaderboards)."""
    return SyncFlag.objects.filter(user=user, cleared_at__isnull=True).exists()
