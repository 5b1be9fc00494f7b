"""Messages that follow events (a level reached, a friend's news, a challenge's end): an item in
the in-app feed and, where the user's email preferences allow, one email row to send."""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import User
from accounts.selectors import user_email_verified, user_get_active
from notifications.models import (
    IN_APP_FIELDS,
    KIND_TYPES,
    Notification,
    Reminder,
    ReminderKind,
)
from notifications.selectors import preference_for
from progression.selectors import user_zone


@dataclass(frozen=True)
class EventMessage:
    """What an event says to one user. `key` is unique per user: the same event twice is one."""

    kind: str
    key: str
    title: str
    body: str
    numbers: dict[str, Any]
    in_app_toggle: str  # a name of `inApp`
    may_email: bool = True


def _feed_add(user: User, message: EventMessage) -> Notification | None:
    try:
        with transaction.atomic():
            return Notification.objects.create(
                user=user,
                kind=message.kind,
                key=message.key,
                title=message.title,
                body=message.body,
            )
    except IntegrityError:
        return None  # this event was told already


EVENT_EMAIL_SQL = f"""
    INSERT INTO {Reminder._meta.db_table}
        (user_id, local_date, event_key, kind, status, payload, attempts, last_error, created_at)
    VALUES (%(user)s, %(day)s, %(key)s, %(kind)s, 'planned', %(payload)s::jsonb, 0, '', now())
    ON CONFLICT (user_id, event_key) WHERE NOT (event_key = '') DO NOTHING
    RETURNING id
"""


def _email_row_add(user: User, message: EventMessage, now: datetime) -> int | None:
    """The event's email row, unless the same event made it before (then None)."""
    params = {
        "user": user.pk,
        "day": now.astimezone(user_zone(user=user)).date(),
        "key": message.key,
        "kind": message.kind,
        "payload": json.dumps(message.numbers),
    }
    with connection.cursor() as cursor:
        cursor.execute(EVENT_EMAIL_SQL, params)
        row = cursor.fetchone()
    return row[0] if row else None


def event_message_deliver(*, user_id, message: EventMessage) -> int | None:
    """Add the feed item and the email row the user's preferences allow; answer the email
    row's id to queue (None when no email is due, or the event was handled before)."""
    user = user_get_active(user_id=user_id)
    if user is None:
        return None
    preference = preference_for(user=user)
    with transaction.atomic():
        if getattr(preference, IN_APP_FIELDS[message.in_app_toggle]):
            _feed_add(user, message)
        email_type = KIND_TYPES[message.kind]
        wants_email = preference.email_enabled and preference.email_type_on(email_type)
        if not (message.may_email and wants_email) or not user_email_verified(user=user):
            return None
        return _email_row_add(user, message, timezone.now())


def level_up_message(*, level: int, title: str) -> EventMessage:
    return EventMessage(
        kind=ReminderKind.LEVEL_UP,
        key=f"level-up:{level}",
        title=f"Level {level}: {title}",
        body=f"You reached level {level}, {title}. Every calm breath led here.",
        numbers={"level": level, "title": title},
        in_app_toggle="celebrateAchievements",
    )


def _friend_name(display_name: str) -> str:
    return display_name.strip() or "A friend"


def friend_level_message(*, user_id, display_name: str, level: int, title: str) -> EventMessage:
    name = _friend_name(display_name)
    return EventMessage(
        kind=ReminderKind.FRIEND_ACTIVITY,
        key=f"friend-level:{user_id}:{level}",
        title=f"{name} reached level {level}",
        body=f"{name} reached level {level}, {title}. A calm milestone, shared with you.",
        numbers={
            "text": f"{name} reached level {level}, {title}. A calm milestone, shared with you."
        },
        in_app_toggle="friendActivity",
    )


def friend_challenge_message(
    *, user_id, display_name: str, challenge_id, challenge_title: str
) -> EventMessage:
    name = _friend_name(display_name)
    text = f"{name} completed the challenge “{challenge_title}”."
    return EventMessage(
        kind=ReminderKind.FRIEND_ACTIVITY,
        key=f"friend-challenge:{user_id}:{challenge_id}",
        title=f"{name} completed a challenge",
        body=text,
        numbers={"text": text},
        in_app_toggle="friendActivity",
    )


def cheer_message(*, from_user_id, challenge_id, challenge_title: str, day) -> EventMessage:
    """A cheer is told in the app only, once a day per cheering person and challenge."""
    text = f"Someone taking part in “{challenge_title}” cheered you on."
    return EventMessage(
        kind=ReminderKind.FRIEND_ACTIVITY,
        key=f"cheer:{from_user_id}:{challenge_id}:{day.isoformat()}",
        title="A cheer for you",
        body=text,
        numbers={"text": text},
        in_app_toggle="friendActivity",
        may_email=False,
    )


# The goal's metric (social's words) as a person counts it.
GOAL_UNITS = {
    "totalMinutes": "minutes",
    "sessions": "sessions",
    "consistency": "days",
    "streak": "days in a row",
}


def challenge_result_message(
    *,
    challenge_id,
    challenge_title: str,
    goal_metric: str,
    completed: bool,
    current: int,
    target: int,
    percent: int,
    reward_xp: int,
) -> EventMessage:
    """A joined challenge has ended: the person's own result, finished or not, told kindly."""
    unit = GOAL_UNITS.get(goal_metric, "")
    reached = f"{current} of {target} {unit}".strip()
    if completed:
        title = f"You finished “{challenge_title}”"
        text = f"“{challenge_title}” has ended, and you reached its goal: {reached}."
        if reward_xp:
            text += f" {reward_xp} XP are yours."
        text += " Thank you for breathing along."
    else:
        title = f"“{challenge_title}” has ended"
        text = (
            f"“{challenge_title}” has ended. You reached {reached} ({percent}%). "
            "Every breath counted, and another challenge is there whenever you like."
        )
    numbers = {
        "title": challenge_title,
        "completed": completed,
        "current": current,
        "target": target,
        "percent": percent,
        "rewardXp": reward_xp,
        "text": text,
    }
    return EventMessage(
        kind=ReminderKind.CHALLENGE_RESULT,
        key=f"challenge-result:{challenge_id}",
        title=title[:120],
        body=text[:500],
        numbers=numbers,
        in_app_toggle="celebrateAchievements",
    )
