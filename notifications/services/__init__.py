"""Every write of the notifications app, by sub-domain; other code imports from here.

- `preferences`: the user's choices, and one-click unsubscribe.
- `planning`: which reminders are due at an instant, claimed as rows (user, local day).
- `sending`: each row claimed, written (`content`, `mail`) and sent, retried with backoff.
- `events`: feed items and event emails after a level, a friend's news, a challenge's end.
- `feed`: reading the in-app feed.
"""

from notifications.services.events import (
    EventMessage,
    challenge_result_message,
    cheer_message,
    event_message_deliver,
    friend_challenge_message,
    friend_level_message,
    level_up_message,
)
from notifications.services.feed import notification_read, notifications_read_all
from notifications.services.planning import reminders_plan, reminders_recover
from notifications.services.preferences import (
    UNSUBSCRIBE_ALL,
    preference_unsubscribe,
    preference_update,
)
from notifications.services.sending import SendOutcome, reminders_send
from notifications.services.staff_email import staff_test_email_send

__all__ = [
    "UNSUBSCRIBE_ALL",
    "EventMessage",
    "SendOutcome",
    "challenge_result_message",
    "cheer_message",
    "event_message_deliver",
    "friend_challenge_message",
    "friend_level_message",
    "level_up_message",
    "notification_read",
    "notifications_read_all",
    "preference_unsubscribe",
    "preference_update",
    "reminders_plan",
    "reminders_recover",
    "reminders_send",
    "staff_test_email_send",
]
