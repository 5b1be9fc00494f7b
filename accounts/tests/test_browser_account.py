"""The account pages in Chromium: link a browser, set privacy, export, and delete."""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import user_sync_enable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_browser_linked_by_sync_code_sets_privacy_exports_and_deletes(page):
    extension = APIClient()
    signup = extension.post(
        "/api/v1/auth/anonymous", {"deviceName": "VS Code", "platform": "linux"}
    )
    user_id = signup.json()["userId"]
    extension.credentials(HTTP_AUTHORIZATION=f"Bearer {signup.json()['token']}")
    user_sync_enable(user=User.objects.get(pk=user_id))
    code = extension.post("/api/v1/auth/sync-codes").json()["code"]

    # Link: the button (never the GET) signs this browser into the extension's account.
    page.goto(f"/link/?code={code}")
    page.get_by_role("button", name="Link this browser").click()
    expect(page).to_have_url(re.compile(r"/link/welcome/$"))
    expect(page.get_by_text("This browser is linked to your account.")).to_be_visible()

    # Privacy: the page saves through the same rules as the API.
    page.get_by_role("link", name="Privacy").click()
    page.get_by_label("Anonymous").check()
    page.get_by_label("Show me on my company's board").check()
    page.get_by_label("Keep day-by-day history for (days)").fill("120")
    page.get_by_role("button", name="Save privacy settings").click()
    expect(page.get_by_text("Your privacy settings are saved.")).to_be_visible()
    privacy = extension.get("/api/v1/me").json()["privacy"]
    assert privacy["leaderboard"] == {"global": "anonymous", "friends": False, "company": True}
    assert privacy["dataRetentionDays"] == 120

    # Export: a plain form (no script), then a page with a link that downloads the document.
    page.get_by_role("button", name="Export my data").click()
    download_link = page.get_by_role("link", name="Download my data (JSON)")
    expect(download_link).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("ready")
    with page.expect_download() as download_info:
        download_link.click()
    with open(download_info.value.path(), encoding="utf-8") as file:
        document = json.load(file)
    assert document["version"] == 1
    assert document["profile"]["userId"] == user_id
    assert document["privacy"]["dataRetentionDays"] == 120
    assert [device["name"] for device in document["devices"]] == ["VS Code"]

    # Delete: asks again, then signs every device out at once.
    page.get_by_role("link", name="Back to privacy").click()
    page.get_by_role("link", name="Delete my account…").click()
    page.get_by_label("Type DELETE to confirm").fill("yes")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Type DELETE to confirm.")).to_be_visible()
    page.get_by_label("Type DELETE to confirm").fill("DELETE")
    page.get_by_role("button", name="Delete my account").click()
    expect(
        page.get_by_role("heading", name="Your account is scheduled for deletion")
    ).to_be_visible()
    expect(page.get_by_test_id("restore-code")).to_have_text(re.compile(r"^[a-z0-9-]{23}$"))
    assert extension.get("/api/v1/me").status_code == 401


def test_an_email_added_on_the_claim_page_counts_once_confirmed_from_the_mail(
    page, chromium, live_server
):
    """Issue 9, item 7: the address is kept nowhere until the mailed link's button is pressed,
    which may happen in another browser, signed in to nothing."""
    extension = APIClient()
    signup = extension.post("/api/v1/auth/anonymous", {"deviceName": "VS Code"})
    extension.credentials(HTTP_AUTHORIZATION=f"Bearer {signup.json()['token']}")
    user_sync_enable(user=User.objects.get(pk=signup.json()["userId"]))
    code = extension.post("/api/v1/auth/sync-codes").json()["code"]
    page.goto(f"/link/?code={code}")
    page.get_by_role("button", name="Link this browser").click()

    page.goto("/account/claim/")
    page.get_by_label("Email").fill("ana@example.com")
    page.get_by_label("Password", exact=True).fill("slow-exhale-77")
    page.get_by_label("Password, once more").fill("slow-exhale-77")
    page.get_by_role("button", name="Add my email").click()
    expect(page.get_by_text("Please look in that inbox")).to_be_visible()
    assert extension.get("/api/v1/me").json()["email"] is None

    (message,) = mail.outbox
    link = re.search(r"https?://\S+/account/claim/confirm/\S+/", message.body).group(0)
    phone = chromium.new_context(base_url=live_server.url).new_page()
    phone.goto(urlsplit(link).path)
    expect(phone.get_by_text("ana@example.com")).to_be_visible()
    assert extension.get("/api/v1/me").json()["email"] is None  # showing it confirms nothing
    phone.get_by_role("button", name="Confirm").click()
    expect(phone.get_by_text("ana@example.com is confirmed")).to_be_visible()
    phone.context.close()
    me = extension.get("/api/v1/me").json()
    assert (me["email"], me["emailVerified"]) == ("ana@example.com", True)
