import logging

from celery import shared_task

from progression import services

logger = logging.getLogger(__name__)

# The service stops starting new users after its own limit; these bound the task around it.
FOLD_SOFT_TIME_LIMIT = services.folding.FOLD_TIME_LIMIT_SECONDS + 5 * 60
FOLD_TIME_LIMIT = FOLD_SOFT_TIME_LIMIT + 60


@shared_task(acks_late=True, soft_time_limit=FOLD_SOFT_TIME_LIMIT, time_limit=FOLD_TIME_LIMIT)
def fold_expired_days() -> int:
    """Daily: fold days past each user's retention into baselines (totals stay the same)."""
    folded = services.days_fold_due()
    logger.info("Folded expired days for %s users", folded)
    return folded
