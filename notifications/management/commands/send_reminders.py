"""`manage.py send_reminders [--at ISO-8601 instant]`: one planning pass as of that instant."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.dateparse import parse_datetime

from notifications.tasks import reminders_plan_and_queue


def _instant(value: str):
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise CommandError(f"--at needs an ISO 8601 instant with an offset, got {value!r}.")
    return moment


class Command(BaseCommand):
    help = (
        "Plan the reminders due as of an instant (default now) and queue their sends. Safe to "
        "run again or beside the scheduled job: a day is never planned twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--at", default=None, help="an instant, e.g. 2026-03-29T07:00:00Z")

    def handle(self, *args, at=None, **options):
        at = _instant(at) if at else None
        with transaction.atomic():
            planned, recovered = reminders_plan_and_queue(at=at)
        self.stdout.write(
            f"Planned {planned} reminder(s); {recovered} unfinished send(s) queued again."
        )
