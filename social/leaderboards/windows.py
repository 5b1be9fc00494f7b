"""The windows a board counts: the users' own calendar days that contain today's UTC date."""

from dataclasses import dataclass
from datetime import UTC, date, timedelta

from django.utils import timezone

PERIODS = ("day", "week", "month", "all")


@dataclass(frozen=True)
class Window:
    period: str
    key: str
    first: date | None
    last: date | None
    # How long a finished window's sets are kept after it starts (None: for good).
    ttl_seconds: int | None


def utc_today() -> date:
    return timezone.now().astimezone(UTC).date()


def window_for(*, period: str, day: date) -> Window:
    if period == "day":
        return Window(period, f"day:{day.isoformat()}", day, day, 3 * 86400)
    if period == "week":
        monday = day - timedelta(days=day.weekday())
        year, week, _ = day.isocalendar()
        return Window(period, f"week:{year}-W{week:02d}", monday, monday + timedelta(6), 15 * 86400)
    if period == "month":
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        last = following - timedelta(days=1)
        return Window(period, f"month:{first:%Y-%m}", first, last, 63 * 86400)
    return Window("all", "all", None, None, None)


def current_windows(*, today: date | None = None) -> list[Window]:
    today = today or utc_today()
    return [window_for(period=period, day=today) for period in PERIODS]
