"""Per-account limits on the social writes a script could use to probe or flood."""

from accounts.api.throttles import RateThrottle


class FriendRequestThrottle(RateThrottle):
    """Friend codes are 40 random bits; this keeps guessing them pointless."""

    scope = "social_friend_request"
    rate = "30/h"
    per_account = True


class ReportThrottle(RateThrottle):
    scope = "social_report"
    rate = "20/h"
    per_account = True
