"""Thin doors to the billing services: take ids, call one service, own retries and limits."""

import stripe
from celery import shared_task

from billing import services


@shared_task(
    name="billing.tasks.subscriptions_cancel_for_deletion",
    autoretry_for=(stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError),
    retry_backoff=True,
    max_retries=8,
    time_limit=120,
    soft_time_limit=100,
)
def subscriptions_cancel_for_deletion(user_id: str) -> int:
    return services.subscriptions_cancel_for_deletion(user_id=user_id)


@shared_task(name="billing.tasks.reconcile_subscriptions", time_limit=1800, soft_time_limit=1700)
def reconcile_subscriptions() -> int:
    return services.billing_reconcile()
