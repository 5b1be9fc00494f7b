"""Every periodic job is defined in breathmaster/celery.py and reaches beat's database."""

import pytest
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from breathmaster.celery import PERIODIC_TASKS, app


def test_every_periodic_job_names_a_registered_task():
    app.loader.import_default_modules()
    registered = set(app.tasks)
    missing = {entry["task"] for entry in PERIODIC_TASKS.values()} - registered
    assert not missing, f"periodic jobs name unknown tasks: {missing}"


@pytest.mark.django_db(transaction=True)
def test_beat_database_scheduler_installs_the_jobs_from_code():
    DatabaseScheduler(app=app, lazy=False).setup_schedule()
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert set(PERIODIC_TASKS) <= names


def test_tasks_are_serialised_as_json_only():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
