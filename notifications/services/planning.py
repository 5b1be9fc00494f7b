"""Planning reminders: which users are due at an instant, each claimed as one row per local day."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from notifications.models import NotificationPreference, Reminder, ReminderStatus

logger = logging.getLogger(__name__)

PREFERENCES = NotificationPreference._meta.db_table
REMINDERS = Reminder._meta.db_table

# One statement: the UPDATE claims every due user (email on, local time of day reached today,
# due by frequency, today not planned yet) by moving `last_planned_on` forward, and the INSERT
# makes their reminder rows. The local day and time come from the instant in each user's zone,
# so a late run still finds the same local day, and a DST change neither skips nor repeats one.
PLAN_SQL = f"""
    WITH claimed AS (
        UPDATE {PREFERENCES} AS p
        SET last_planned_on = (%(at)s::timestamptz AT TIME ZONE p.timezone)::date
        WHERE p.email_enabled
          AND (%(at)s::timestamptz AT TIME ZONE p.timezone)::time >= p.time_of_day
          AND (p.last_planned_on IS NULL
               OR p.last_planned_on < (%(at)s::timestamptz AT TIME ZONE p.timezone)::date)
          AND CASE p.frequency
                WHEN 'daily' THEN true
                WHEN 'weekly' THEN
                    extract(isodow FROM %(at)s::timestamptz AT TIME ZONE p.timezone) = 1
                ELSE extract(day FROM %(at)s::timestamptz AT TIME ZONE p.timezone) = 1
              END
        RETURNING p.user_id, p.last_planned_on
    )
    INSERT INTO {REMINDERS}
        (user_id, local_date, event_key, kind, status, payload, attempts, last_error, created_at)
    SELECT user_id, last_planned_on, '', '', 'planned', '{{}}', 0, '', now() FROM claimed
    ON CONFLICT (user_id, local_date) WHERE event_key = '' DO NOTHING
    RETURNING id
"""

# Rows whose send never finished: a worker killed after its claim ('sending' past the lease,
# which is longer than Celery's hard time limit, so its sender is surely gone), a task lost
# before it ran ('planned' past the lease), or a retry whose message was lost.
RECOVER_SQL = f"""
    UPDATE {REMINDERS}
    SET status = 'planned'
    WHERE (status = 'sending' AND claimed_at < now() - %(lease)s)
       OR (status = 'planned' AND created_at < now() - %(lease)s)
       OR (status = 'retrying' AND next_attempt_at < now() - %(lease)s)
    RETURNING id
"""


def send_lease() -> timedelta:
    return timedelta(seconds=settings.NOTIFICATIONS_SEND_LEASE_SECONDS)


def _run_returning_ids(sql: str, params: dict) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def reminders_plan(*, at: datetime | None = None) -> list[int]:
    """Claim the reminders due as of `at` (default now); answer the new rows' ids.

    1. One statement moves each due user's `last_planned_on` to their local day and inserts
       the (user, local day) row. A second planner at the same moment waits on the row locks,
       then finds the day planned and claims nothing; the unique row stops any other path.
    2. A deadlock between two planners (locks taken in different orders) is retried.
    The caller queues the ids on commit; a replay of the same instant finds nothing to do.
    """
    at = at or timezone.now()
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _run_returning_ids(PLAN_SQL, {"at": at})
        except OperationalError:
            if attempt == 2:
                raise
            logger.warning("Reminder planning met another planner; trying again.")
    return []


@transaction.atomic
def reminders_recover() -> list[int]:
    """Put unfinished sends back to 'planned' and answer their ids, to be queued again."""
    return _run_returning_ids(RECOVER_SQL, {"lease": send_lease()})


def reminder_unfinished_count() -> int:
    return Reminder.objects.filter(
        status__in=[ReminderStatus.PLANNED, ReminderStatus.SENDING, ReminderStatus.RETRYING]
    ).count()
