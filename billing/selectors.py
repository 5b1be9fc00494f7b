from billing.plans import FREE, PLANS, Plan


def plan_for(*, user) -> Plan:
    """The plan the user is on. Until subscriptions exist, everyone is on Free."""
    return PLANS.get(getattr(user, "tier", FREE.key), FREE)


def entitlements_for(*, user) -> dict:
    plan = plan_for(user=user)
    return {"tier": plan.key, "features": dict(plan.features), "limits": dict(plan.limits)}
