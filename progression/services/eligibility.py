"""Consent to sync: the cloud features open when the server's own view meets the rules."""

from datetime import datetime

from accounts.models import User
from accounts.services import user_sync_enable
from breathmaster.api.errors import ApplicationError
from progression.selectors import eligibility_for_user


def sync_enable(*, user: User) -> datetime:
    """Unlock the cloud features when the server's own view of the user meets the rules."""
    if user.sync_enabled_at is not None:
        return user.sync_enabled_at  # consent already given; a later dip changes nothing
    eligibility = eligibility_for_user(user=user)
    if not eligibility["eligible"]:
        raise ApplicationError(
            "Sync opens once your practice meets the invitation's steps; keep breathing at "
            "your own pace.",
            code="not_eligible",
            status_code=403,
            extra={"nextRequirement": eligibility["nextRequirement"]},
        )
    return user_sync_enable(user=user)
