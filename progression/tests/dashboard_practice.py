"""Practice for the dashboard's tests: a year of days on several devices, synced for real."""

from datetime import date, timedelta

from accounts.services import device_create
from progression import services
from progression.selectors import user_today

PASSWORD = "calm-breath-42"  # the shared cast's password (conftest.py)


def year_of_practice(
    user, *, devices: int = 3, days: int = 365, modest: bool = False
) -> dict[date, tuple[int, int]]:
    """Sync `days` days on each of `devices` devices: rest days, light days and full ones.

    Every eleventh day nobody practised; every thirteenth only the first machine did, briefly.
    `modest` earns a few XP a day instead of thirty-odd (a level around 7 after a year on two).
    Returns what the dashboard should show per day: (sessions, minutes) summed over devices.
    """
    today = user_today(user=user)
    expected: dict[date, tuple[int, int]] = {}
    for index in range(devices):
        device, _token = device_create(user=user, name=f"Machine {index + 1}")
        counters = []
        for offset in range(days):
            light = offset % 13 == 0
            if offset % 11 == 5 or (light and index) or (offset + index) % 7 == 3:
                continue
            day = today - timedelta(days=offset)
            minutes = 2 if light else 3 + (offset * 7 + index) % 14
            xp = max(1, minutes // 4) if modest else 30 + minutes
            counters.append(services.DayCounters(day, xp, 1, minutes))
            sessions, total = expected.get(day, (0, 0))
            expected[day] = (sessions + 1, total + minutes)
        services.sync_apply(
            device=device,
            payload=services.SyncPayload(
                days=tuple(counters),
                unlocks=(("achievement", "first-streak"), ("achievement", "week-warrior")),
            ),
        )
    return expected


def zone_off_utc_today() -> str:
    """A time zone whose date differs from UTC's right now (UTC+14 from 10:00, else UTC-11),
    so a read that used UTC's days instead of the user's shows at any hour."""
    from django.utils import timezone

    return "Pacific/Kiritimati" if timezone.now().hour >= 10 else "Pacific/Pago_Pago"


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    """Through the real sign-in form, as a person would."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/")


def premium(user) -> None:
    """Premium for a month, as staff would grant it from the admin (billing's StaffGrant)."""
    from django.utils import timezone

    from billing.models import StaffGrant

    StaffGrant.objects.create(
        user=user,
        tier="premium",
        reason="dashboard tests",
        expires_at=timezone.now() + timedelta(days=30),
    )
