"""The Celery app, and every periodic job in one place.

django-celery-beat's database scheduler copies `beat_schedule` into its tables at start, so
staff can see and pause jobs in admin while the code stays the single definition.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "breathmaster.settings")

app = Celery("breathmaster")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic job, defined here only. Each task is safe to run twice at once.
PERIODIC_TASKS: dict[str, dict] = {}


def register_periodic(name: str, task: str, schedule) -> None:
    PERIODIC_TASKS[name] = {"task": task, "schedule": schedule}


register_periodic(
    "accounts: erase accounts whose deletion window has passed",
    "accounts.tasks.erase_due_accounts",
    crontab(minute="*/15"),
)
register_periodic(
    "accounts: remove expired exports and sync codes",
    "accounts.tasks.remove_expired_artifacts",
    crontab(minute=7),
)
register_periodic(
    "progression: fold days past each user's retention into baselines",
    "progression.tasks.fold_expired_days",
    crontab(minute=30, hour=3),
)
register_periodic(
    "notifications: plan the reminders due by now and send them",
    "notifications.tasks.plan_reminders",
    crontab(minute="*/5"),
)
register_periodic(
    "billing: ask Stripe about subscriptions not heard of for a day (lost webhooks)",
    "billing.tasks.reconcile_subscriptions",
    crontab(minute=15, hour=4),
)

register_periodic(
    "social: close ended challenges and give their rewards once",
    "social.tasks.close_ended_challenges",
    crontab(minute="*/5"),
)
register_periodic(
    "social: build tomorrow's leaderboards before they start",
    "social.tasks.prepare_tomorrows_boards",
    crontab(minute=45, hour=23),
)

app.conf.beat_schedule = PERIODIC_TASKS
