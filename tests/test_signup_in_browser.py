"""A person creates an account in Chromium, confirms the email, and comes back another day."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "lena@example.com"
PASSWORD = "slow-exhale-at-dawn-7"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")


def sign_up(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password (again)").fill(password)
    page.get_by_role("button", name="Create account").click()


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()


def confirmation_link(mailoutbox, email: str) -> str:
    [message] = [m for m in mailoutbox if email in m.to]
    return CONFIRM_LINK.search(message.body).group(0)


def test_signing_up_confirming_and_signing_in_again_ends_on_the_dashboard(page, mailoutbox):
    sign_up(page, EMAIL, PASSWORD)
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    page.goto(confirmation_link(mailoutbox, EMAIL))
    expect(page.get_by_text(EMAIL)).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("navigation").get_by_role("link", name="Sign in")).to_be_visible()
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    sign_in(page, EMAIL, PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def test_a_wrong_password_shows_a_calm_error_and_keeps_the_form(page, verified_user):
    sign_in(page, verified_user.email, "not-my-password")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(
        page.get_by_text("email address and/or password you specified are not correct")
    ).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value(verified_user.email)
