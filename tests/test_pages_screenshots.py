"""Screenshots of every page for review, written under var/screenshots/ (`make screenshots`).

Each page as a visitor or a member sees it, whole, on a laptop; the landing page and the
dashboard also in the dark and on a phone, the dashboard full (a year, premium analytics) and
empty. `landing-dashboard-{light,dark}.png` are the landing page's picture of the dashboard:
copy them to static/images/dashboard-{light,dark}.png to refresh it.
"""

import os
import struct
from pathlib import Path

import pytest
from django.conf import settings

from progression.tests.dashboard_practice import premium, sign_in, year_of_practice
from tests.community_practice import join_the_community
from tests.page_tour import site_pages, slug

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SCREENSHOTS_DIR", settings.BASE_DIR / "var" / "screenshots"))
LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def _shoot(chromium, live_server, user, shots, *, scheme="light", viewport=LAPTOP, suffix=""):
    context = chromium.new_context(base_url=live_server.url, color_scheme=scheme, viewport=viewport)
    page = context.new_page()
    written = []
    try:
        for who, path in shots:
            if who == "member" and user is not None and not written_signed_in(written):
                sign_in(page, user.email)
                written.append(None)
            page.goto(path)
            target = SHOTS / f"{who}-{slug(path.split('?')[0])}{_query(path)}{suffix}.png"
            page.screenshot(path=str(target), full_page=True)
            written.append(target)
    finally:
        context.close()
    return [path for path in written if path is not None]


def written_signed_in(written) -> bool:
    return None in written


def _query(path: str) -> str:
    return "-" + path.split("=", 1)[1] if "=" in path else ""


def test_make_screenshots_of_every_page(chromium, live_server, verified_user, friend, stranger):
    SHOTS.mkdir(parents=True, exist_ok=True)
    year_of_practice(verified_user)
    premium(verified_user)
    join_the_community(verified_user)  # the rank and a running challenge show too
    visitor = [("visitor", path) for path in site_pages()]
    member = [("member", path) for path in site_pages(user=verified_user)]
    member += [
        ("member", "/dashboard/?analytics=weekdays"),
        ("member", "/dashboard/?analytics=months"),
    ]
    written = _shoot(chromium, live_server, None, visitor)
    written += _shoot(chromium, live_server, verified_user, member)
    key = [("visitor", "/"), ("member", "/dashboard/")]
    written += _shoot(chromium, live_server, verified_user, key, scheme="dark", suffix="-dark")
    written += _shoot(chromium, live_server, verified_user, key, viewport=PHONE, suffix="-phone")
    written += _shoot(chromium, live_server, friend, [("member", "/dashboard/")], suffix="-empty")
    year_of_practice(stranger, devices=2, modest=True)
    join_the_community(stranger, title="Breathe through December")
    written += _landing_pictures(chromium, live_server, stranger)

    assert len(written) >= 10
    for path in written:
        width, height = _png_size(path)
        assert width >= 390 and height >= 400, (path, width, height)


def _landing_pictures(chromium, live_server, user) -> list[Path]:
    """A lived-in dashboard down to the year, as the landing page shows it, light and dark."""
    written = []
    for scheme in ("light", "dark"):
        context = chromium.new_context(
            base_url=live_server.url, color_scheme=scheme, viewport={"width": 1200, "height": 900}
        )
        page = context.new_page()
        try:
            sign_in(page, user.email)
            page.goto("/dashboard/")  # again, so the "signed in" note is gone
            year = page.get_by_role("region", name="Your year", exact=True).bounding_box()
            target = SHOTS / f"landing-dashboard-{scheme}.png"
            bottom = year["y"] + year["height"] + 40
            page.screenshot(
                path=str(target),
                full_page=True,
                clip={"x": 0, "y": 0, "width": 1200, "height": bottom},
            )
            written.append(target)
        finally:
            context.close()
    return written
