"""Demo data for `make run`: a few people to look around with. Safe to run again."""

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User

DEMO_PASSWORD = "breathe-in-breathe-out"
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
        if not User.objects.filter(email="admin@example.com").exists():
            User.objects.create_superuser(email="admin@example.com", password=DEMO_PASSWORD)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
