"""What social does when other apps announce something; each receiver queues or calls one thing."""

from django.db import transaction


def on_days_changed(sender, *, user_id, dates=(), **kwargs) -> None:
    from social.services import board_refresh_later

    # Gathered in Redis, drained by one task: a sync never pays for a Celery publish.
    transaction.on_commit(lambda: board_refresh_later(user_id=user_id))


def on_level_reached(sender, *, user_id, level, title, **kwargs) -> None:
    from social.tasks import announce_level_up

    transaction.on_commit(lambda: announce_level_up.delay(str(user_id), level, title))


# Privacy, email or activity changes re-file the user on every board at once (on commit).
_BOARD_FIELDS = {
    "leaderboard_global",
    "leaderboard_friends",
    "leaderboard_company",
    "display_name",
    "is_active",
    "email",
    "sync_enabled_at",
}


def on_user_saved(sender, instance, update_fields=None, created=False, **kwargs) -> None:
    if created or (update_fields is not None and not _BOARD_FIELDS & set(update_fields)):
        return
    _refile_on_commit(instance.pk)


def on_email_saved(sender, instance, **kwargs) -> None:
    _refile_on_commit(instance.user_id)


def on_account_leaving(user) -> None:
    """Accounts' deletion and erasure hooks: off every board as soon as it commits."""
    _refile_on_commit(user.pk)


def on_account_back(user) -> None:
    """Accounts' return hook (sync on, deletion undone): back on every board once it commits."""
    _refile_on_commit(user.pk)


def _refile_on_commit(user_id) -> None:
    from social.services import board_users_refresh

    transaction.on_commit(lambda: board_users_refresh(user_ids=[user_id]))
