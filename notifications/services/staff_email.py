"""Staff's test email: the calm layout, sent at once to one address, to check delivery."""

from django.utils import timezone

from accounts.models import User
from notifications.models import ReminderKind
from notifications.services.mail import email_compose


def staff_test_email_send(*, user: User) -> None:
    """Send the test email to `user` now (raises the backend's error when delivery fails)."""
    key = f"test-{user.pk}-{int(timezone.now().timestamp())}"
    email_compose(user=user, kind=ReminderKind.TEST, numbers={}, key=key).send()
