"""Plans, prices, features and limits: the one place they live (read everywhere else).

Amounts are in cents. `None` in a limit means no limit.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Plan:
    key: str
    name: str
    price_cents: int
    interval: str | None  # "month" for subscriptions, None for one-time or free
    trial_days: int
    features: dict[str, bool] = field(default_factory=dict)
    limits: dict[str, int | None] = field(default_factory=dict)


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
)
LIFETIME = Plan(
    key="lifetime",
    name="Lifetime",
    price_cents=4999,
    interval=None,
    trial_days=0,
    features={**PREMIUM.features, "earlyAccess": True},
    limits={"customPresets": None, "challengesPerMonth": None, "analyticsHistoryDays": None},
)

PLANS: dict[str, Plan] = {plan.key: plan for plan in (FREE, PREMIUM, LIFETIME)}
