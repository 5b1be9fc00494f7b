"""Receivers of other apps' events: each only queues a task once the sender's write commits."""

from django.db import transaction


def on_level_reached(sender, *, user_id, level, title, **_) -> None:
    from notifications.tasks import notify_level_up

    transaction.on_commit(lambda: notify_level_up.delay(str(user_id), int(level), str(title)))
