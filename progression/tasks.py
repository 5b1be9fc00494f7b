import logging

from celery import shared_task

from accounts import selectors as accounts_selectors
from progression import selectors, services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def fold_expired_days() -> int:
    """Daily: fold days past each user's retention into baselines (totals stay the same).

    One transaction per user, under that user's sync lock, so two runs at once fold each day
    once: the second finds nothing left before the horizon.
    """
    folded = 0
    for user_id in selectors.users_with_days_to_fold():
        user = accounts_selectors.user_get_active(user_id=user_id)
        if user is not None and services.days_fold_expired(user=user):
            folded += 1
    logger.info("Folded expired days for %s users", folded)
    return folded
