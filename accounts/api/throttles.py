"""Throttles that stop floods and never get in the way of a person with a dozen machines.

Rates come from settings (`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`) and may name a period
with a count, such as `12/10min`.
"""

import re

from rest_framework.throttling import SimpleRateThrottle

PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
PERIOD_PATTERN = re.compile(r"^(\d*)\s*([smhd])")


class RateThrottle(SimpleRateThrottle):
    """Per address; `per_account` throttles count per signed-in account instead."""

    per_account = False

    def parse_rate(self, rate):
        if rate is None:
            return (None, None)
        count, period = rate.split("/")
        match = PERIOD_PATTERN.match(period.strip())
        if match is None:
            raise ValueError(f"Cannot read the throttle period in {rate!r}.")
        multiplier = int(match.group(1) or 1)
        return int(count), multiplier * PERIOD_SECONDS[match.group(2)]

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        if self.per_account and user is not None and user.is_authenticated:
            ident = f"user-{user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousSignupThrottle(RateThrottle):
    scope = "anonymous_signup"


class SyncCodeThrottle(RateThrottle):
    """Shared by the API and the web devices page: one counter per account."""

    scope = "sync_code"
    per_account = True


class SyncCodeRedeemThrottle(RateThrottle):
    scope = "sync_code_redeem"


class RestoreThrottle(RateThrottle):
    scope = "restore"


class ClaimThrottle(RateThrottle):
    """Claiming an anonymous account with an email: per address, so neither a flood of mails
    to an address's owner nor a quick walk through a list of addresses gets far."""

    scope = "claim"
