from billing.plans import PLANS
from billing.selectors import entitlements_for


def test_the_three_plans_carry_the_documented_prices_and_history_limits():
    assert PLANS["free"].price_cents == 0
    assert PLANS["premium"].price_cents == 499 and PLANS["premium"].trial_days == 14
    assert PLANS["lifetime"].price_cents == 4999
    assert PLANS["free"].limits["analyticsHistoryDays"] == 30
    assert PLANS["premium"].limits["analyticsHistoryDays"] == 365


def test_a_user_without_a_subscription_is_on_free():
    class Someone:
        pass

    assert entitlements_for(user=Someone())["tier"] == "free"
