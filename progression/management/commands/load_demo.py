"""Demo data for `make run`: a few people to look around with. Safe to run again."""

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from accounts.selectors import device_list
from accounts.services import device_create
from breathmaster.api.errors import ApplicationError
from progression import services
from progression.selectors import user_today

DEMO_PASSWORD = "breathe-in-breathe-out"
DEMO_DEVICES = [("Work laptop", "linux"), ("Home desktop", "win32")]
DEMO_DAYS = 30
DEMO_PEOPLE = [
    ("maya@example.com", "Maya", "Europe/Berlin"),
    ("theo@example.com", "Theo", "America/New_York"),
    ("ana@example.com", "Ana", "Asia/Tokyo"),
]


class Command(BaseCommand):
    help = "Load demo users (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        for email, name, tz in DEMO_PEOPLE:
            user, created = User.objects.get_or_create(
                email=email, defaults={"display_name": name, "timezone": tz}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            self.sync_a_month(user)
            self.enable_sync(user)
        if not User.objects.filter(email="admin@example.com").exists():
            User.objects.create_superuser(email="admin@example.com", password=DEMO_PASSWORD)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))

    def enable_sync(self, user: User) -> None:
        """Demo people have accepted the invitation when their month meets its steps."""
        try:
            services.sync_enable(user=user)
        except ApplicationError:
            self.stdout.write(f"{user.email} is not eligible for sync yet; left local.")

    def sync_a_month(self, user: User) -> None:
        """A month of practice on two devices, sent the way the extension syncs it.

        The merge only keeps maxima, so running this again changes nothing.
        """
        today = user_today(user=user)
        for index, (name, platform) in enumerate(DEMO_DEVICES):
            device = device_list(user=user).filter(name=name).first()
            if device is None:
                device, _token = device_create(user=user, name=name, platform=platform)
            practice = random.Random(f"{user.email}:{name}")
            days = []
            for offset in range(DEMO_DAYS):
                # The laptop practises most days (and today); the desktop now and then.
                if offset and practice.random() > (0.85 if index == 0 else 0.35):
                    continue
                sessions = practice.randint(1, 3)
                minutes = sum(practice.randint(3, 12) for _ in range(sessions))
                xp = minutes * 6 + sessions * practice.randint(1, 4)
                date = today - timedelta(days=offset)
                days.append(services.DayCounters(date, xp, sessions, minutes))
            services.sync_apply(device=device, payload=services.SyncPayload(days=tuple(days)))
