"""Receivers of other apps' events: each only queues a task once the sender's write commits."""

from django.db import transaction


def on_level_reached(sender, *, user_id, level, title, **_) -> None:
    from notifications.tasks import notify_level_up

    transaction.on_commit(lambda: notify_level_up.delay(str(user_id), int(level), str(title)))


def _ids(values) -> list[str]:
    return [str(value) for value in values]


def on_friend_level_reached(sender, *, user_id, display_name, level, title, friend_ids, **_):
    from notifications.tasks import notify_friends_level_up

    args = (_ids(friend_ids), str(user_id), str(display_name), int(level), str(title))
    transaction.on_commit(lambda: notify_friends_level_up.delay(*args))


def on_friend_challenge_completed(
    sender, *, user_id, display_name, challenge_id, challenge_title, friend_ids, **_
):
    from notifications.tasks import notify_friends_challenge_completed

    args = (_ids(friend_ids), str(user_id), str(display_name), str(challenge_id))
    title = str(challenge_title)
    transaction.on_commit(lambda: notify_friends_challenge_completed.delay(*args, title))


def on_cheer_sent(sender, *, from_user_id, to_user_id, challenge_id, challenge_title, **_):
    from notifications.tasks import notify_cheer

    args = (str(to_user_id), str(from_user_id), str(challenge_id), str(challenge_title))
    transaction.on_commit(lambda: notify_cheer.delay(*args))


def on_challenge_result(
    sender, *, user_id, challenge_id, challenge_title, goal_metric, completed, **numbers
):
    from notifications.tasks import notify_challenge_result

    result = {
        "challenge_id": str(challenge_id),
        "challenge_title": str(challenge_title),
        "goal_metric": str(goal_metric),
        "completed": bool(completed),
        **{name: int(numbers[name]) for name in ("current", "target", "percent", "reward_xp")},
    }
    transaction.on_commit(lambda: notify_challenge_result.delay(str(user_id), result))
