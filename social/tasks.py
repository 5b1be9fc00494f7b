"""Thin doors for the worker: ids in, one service called, retries and limits owned here."""

from celery import shared_task

from social import services


@shared_task(acks_late=True, soft_time_limit=100, time_limit=120)
def boards_refresh_pending() -> int:
    """Users whose days changed since the last drain: re-file them, note goals newly met."""
    return services.board_refresh_pending()


@shared_task(acks_late=True, soft_time_limit=540, time_limit=600)
def close_ended_challenges() -> int:
    return services.challenges_close_ended()


@shared_task(acks_late=True, soft_time_limit=50, time_limit=60)
def announce_level_up(user_id: str, level: int, title: str) -> None:
    services.level_up_announce(user_id=user_id, level=level, title=title)


@shared_task(acks_late=True, soft_time_limit=1700, time_limit=1800)
def prepare_tomorrows_boards() -> None:
    """Build tomorrow's windows before they start, so the first reader never waits."""
    from datetime import timedelta

    from social.leaderboards.windows import current_windows, utc_today

    for window in current_windows(today=utc_today() + timedelta(days=1)):
        services.rebuild_window(window=window)
