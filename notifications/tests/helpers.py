"""Small builders for notifications' tests: people with email on, and days they practised."""

from datetime import date

from allauth.account.models import EmailAddress

from accounts.models import User
from notifications.services import preference_update


def person(email: str, zone: str, at: str, frequency: str = "daily", name: str = "") -> User:
    """A verified user with email reminders on at `at` local time in `zone`."""
    user = User.objects.create_user(email=email, password="calm-breath-42", display_name=name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    changes = {"enabled": True, "timezone": zone, "timeOfDay": at, "frequency": frequency}
    preference_update(user=user, changes={"email": changes})
    return user


def practised(user: User, days: dict[date, int]) -> None:
    """Sync `{day: minutes}` from a device, as the extension would."""
    from accounts.services import device_create
    from progression.services import DayCounters, SyncPayload, sync_apply

    device, _ = device_create(user=user, name="Laptop", platform="linux")
    counters = tuple(DayCounters(day, minutes * 2, 1, minutes) for day, minutes in days.items())
    sync_apply(device=device, payload=SyncPayload(days=counters))
