"""Arriving from the extension with a sync code, in Chromium: see what syncs, link by a button,
pick how to appear, and go on. Also with JavaScript switched off, and from a browser that was
signed in to another account (issue 9, item 1; issue 13's onboarding)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from rest_framework.test import APIClient

from accounts.models import SyncCode, User
from accounts.services import user_sync_enable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def extension_with_code() -> tuple[APIClient, str, str]:
    """An anonymous account made by the extension, and a sync code it made for a browser."""
    extension = APIClient()
    signup = extension.post("/api/v1/auth/anonymous", {"deviceName": "VS Code"}, format="json")
    user_id = signup.json()["userId"]
    extension.credentials(HTTP_AUTHORIZATION=f"Bearer {signup.json()['token']}")
    user_sync_enable(user=User.objects.get(pk=user_id))
    code = extension.post("/api/v1/auth/sync-codes").json()["code"]
    return extension, user_id, code


def no_inline_script(page) -> None:
    assert page.locator("script:not([src])").count() == 0


def calm_to_every_reader(page, *, axe: bool = True) -> None:
    """No inline script, and no serious or critical axe-core finding on this step (axe-core
    runs as a script, so not in a browser without JavaScript)."""
    no_inline_script(page)
    if not axe:
        return
    violations = Axe().run(page).response["violations"]
    serious = [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]
    assert not serious, f"{page.url}: {serious}"


def onboard(page, code: str, *, javascript: bool) -> None:
    page.goto(f"/link/?code={code}")
    expect(page.get_by_role("heading", name="Link this browser")).to_be_visible()
    expect(page.get_by_role("heading", name="Stays on your machine")).to_be_visible()
    expect(page.get_by_role("heading", name="Synced to your account")).to_be_visible()
    calm_to_every_reader(page, axe=javascript)
    assert SyncCode.objects.get().used_at is None  # the page itself used nothing up

    page.get_by_role("button", name="Link this browser").click()
    expect(page).to_have_url(re.compile(r"/link/welcome/$"))
    expect(page.get_by_text("This browser is linked to your account.")).to_be_visible()
    expect(page.get_by_label("Not shown (you can change this any time)")).to_be_checked()
    no_inline_script(page)

    # Named without a name is refused kindly; then a name is given.
    page.get_by_label("Shown with my display name").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("Pick a display name to be shown by name.")).to_be_visible()
    calm_to_every_reader(page, axe=javascript)
    page.get_by_label("Display name (optional)").fill("Ana")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="You are all set")).to_be_visible()
    calm_to_every_reader(page, axe=javascript)
    page.get_by_role("main").get_by_role("link", name="Privacy").click()
    expect(page).to_have_url(re.compile(r"/account/privacy/$"))


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without"])
def test_someone_from_the_extension_links_chooses_a_name_and_goes_on(
    chromium, live_server, javascript
):
    extension, user_id, code = extension_with_code()
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=javascript)
    context.set_default_timeout(10_000)
    try:
        onboard(context.new_page(), code, javascript=javascript)
    finally:
        context.close()
    me = extension.get("/api/v1/me").json()
    assert me["userId"] == user_id and me["displayName"] == "Ana"
    assert me["privacy"]["leaderboard"] == {"global": "named", "friends": False, "company": False}
    assert me["privacy"]["shareProgress"] is False and me["privacy"]["shareStreaks"] is False


def test_a_browser_signed_in_elsewhere_is_asked_before_it_switches(page, verified_user):
    extension, user_id, code = extension_with_code()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("maya@example.com")
    page.get_by_label("Password").fill("calm-breath-42")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.goto(f"/link/?code={code}")
    page.get_by_role("button", name="Link this browser").click()
    expect(page.get_by_role("heading", name="Switch to the linked account?")).to_be_visible()
    calm_to_every_reader(page)
    assert SyncCode.objects.get().used_at is None

    page.get_by_role("link", name="Stay where I am").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    assert SyncCode.objects.get().used_at is None

    page.goto(f"/link/?code={code}")
    page.get_by_role("button", name="Link this browser").click()
    page.get_by_role("button", name="Switch to the linked account").click()
    expect(page).to_have_url(re.compile(r"/link/welcome/$"))
    assert SyncCode.objects.get().used_at is not None
    page.get_by_role("link", name="Skip: keep everything as it is").click()
    expect(page.get_by_role("heading", name="You are all set")).to_be_visible()
    user = User.objects.get(pk=user_id)
    assert (user.display_name, user.leaderboard_global) == ("", "hidden")
