"""Thin doors to the notifications services: take ids, call one service, own retries and limits."""

from datetime import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from notifications import services

SEND_BATCH = 100


def reminders_queue(reminder_ids: list[int]) -> None:
    """Queue the rows' sends once the rows are committed, a batch per task (one SMTP
    connection each). A row queued twice is still sent once: each send claims its row."""

    def queue() -> None:
        for start in range(0, len(reminder_ids), SEND_BATCH):
            send_reminders.delay(reminder_ids[start : start + SEND_BATCH])

    if reminder_ids:
        transaction.on_commit(queue)


def reminders_plan_and_queue(*, at: datetime | None = None) -> tuple[int, int]:
    """One planning pass as of `at`, plus unfinished sends recovered; (planned, recovered)."""
    planned = services.reminders_plan(at=at)
    recovered = services.reminders_recover()
    reminders_queue(planned + recovered)
    return len(planned), len(recovered)


@shared_task(name="notifications.tasks.plan_reminders", time_limit=600, soft_time_limit=540)
def plan_reminders() -> int:
    planned, _ = reminders_plan_and_queue()
    return planned


@shared_task(name="notifications.tasks.send_reminders")
def send_reminders(reminder_ids: list[int]) -> int:
    outcome = services.reminders_send(reminder_ids=reminder_ids)
    # Each failed send comes back after its own backoff (the row says when).
    for reminder_id, retry_at in outcome.retry.items():
        send_reminders.apply_async(args=[[reminder_id]], eta=retry_at)
    return len(outcome.sent)


@shared_task(name="notifications.tasks.notify_level_up")
def notify_level_up(user_id: str, level: int, title: str) -> None:
    message = services.level_up_message(level=level, title=title)
    reminders_queue(_delivered(user_id, message))


@shared_task(name="notifications.tasks.notify_friends_level_up")
def notify_friends_level_up(
    friend_ids: list[str], user_id: str, display_name: str, level: int, title: str
) -> None:
    message = services.friend_level_message(
        user_id=user_id, display_name=display_name, level=level, title=title
    )
    reminders_queue([i for friend_id in friend_ids for i in _delivered(friend_id, message)])


@shared_task(name="notifications.tasks.notify_friends_challenge_completed")
def notify_friends_challenge_completed(
    friend_ids: list[str], user_id: str, display_name: str, challenge_id: str, title: str
) -> None:
    message = services.friend_challenge_message(
        user_id=user_id, display_name=display_name, challenge_id=challenge_id, challenge_title=title
    )
    reminders_queue([i for friend_id in friend_ids for i in _delivered(friend_id, message)])


@shared_task(name="notifications.tasks.notify_cheer")
def notify_cheer(to_user_id: str, from_user_id: str, challenge_id: str, title: str) -> None:
    message = services.cheer_message(
        from_user_id=from_user_id,
        challenge_id=challenge_id,
        challenge_title=title,
        day=timezone.now().date(),
    )
    _delivered(to_user_id, message)


@shared_task(name="notifications.tasks.notify_challenge_result")
def notify_challenge_result(user_id: str, result: dict) -> None:
    reminders_queue(_delivered(user_id, services.challenge_result_message(**result)))


def _delivered(user_id: str, message) -> list[int]:
    reminder_id = services.event_message_deliver(user_id=user_id, message=message)
    return [reminder_id] if reminder_id else []
