"""Plans, prices, features and limits: the one place they live (read everywhere else).

Amounts are in cents (US dollars). `None` in a limit means no limit.
"""

from dataclasses import dataclass, field
from datetime import timedelta

CURRENCY = "usd"


@dataclass(frozen=True)
class Plan:
    key: str
    name: str
    price_cents: int
    interval: str | None  # "month" for subscriptions, None for one-time or free
    trial_days: int
    features: dict[str, bool] = field(default_factory=dict)
    limits: dict[str, int | None] = field(default_factory=dict)
    rank: int = 0  # higher includes everything below it

    @property
    def price_label(self) -> str:
        return f"${self.price_cents / 100:.2f}" if self.price_cents else "$0"


FREE = Plan(
    key="free",
    name="Free",
    price_cents=0,
    interval=None,
    trial_days=0,
    features={
        "crossDeviceSync": True,
        "advancedAnalytics": False,
        "customChallenges": True,
        "prioritySupport": False,
        "earlyAccess": False,
    },
    limits={"customPresets": 3, "challengesPerMonth": 5, "analyticsHistoryDays": 30},
)
PREMIUM = Plan(
    key="premium",
    name="Premium",
    price_cents=499,
    interval="month",
    trial_days=14,
    features={**FREE.features, "advancedAnalytics": True, "prioritySupport": True},
    limits={"customPresets": 50, "challengesPerMonth": None, "analyticsHistoryDays": 365},
    rank=1,
)
LIFETIME = Plan(
    key="lifetime",
    name="Lifetime",
    price_cents=4999,
    interval=None,
    trial_days=0,
    features={**PREMIUM.features, "earlyAccess": True},
    limits={"customPresets": None, "challengesPerMonth": None, "analyticsHistoryDays": None},
    rank=2,
)

PLANS: dict[str, Plan] = {plan.key: plan for plan in (FREE, PREMIUM, LIFETIME)}

# A payment that failed keeps Premium while Stripe retries it (the subscription is `past_due`),
# for at most this long; after that, or when Stripe gives up, the account is on Free.
PAST_DUE_GRACE = timedelta(days=14)

# The value ladder: from this level on, a calm offer of this plan (highest level first).
OFFER_LADDER: tuple[tuple[int, str], ...] = ((10, LIFETIME.key), (7, PREMIUM.key))
