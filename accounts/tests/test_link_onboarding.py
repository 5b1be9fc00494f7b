"""`/link/`: a GET shows what will happen and uses nothing up; a CSRF-protected POST uses the code;
a browser signed in to another account confirms the switch first (issue 9, item 1; issue 13).
"""

import re

import pytest
from django.test import Client

from accounts.models import SyncCode, User
from accounts.services import sync_code_create, user_sync_enable

pytestmark = pytest.mark.django_db


@pytest.fixture
def extension_user(anonymous_user):
    """The anonymous account an extension made, with sync on so it can make codes."""
    user_sync_enable(user=anonymous_user)
    return anonymous_user


@pytest.fixture
def code(extension_user) -> str:
    return sync_code_create(user=extension_user)[0]


def code_unused() -> bool:
    return SyncCode.objects.get().used_at is None


def signed_in_as(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def csrf_token_of(response) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content)
    assert match, "the page should carry a CSRF token in its form"
    return match.group(1).decode()


def link_post(client: Client, code: str, **extra):
    page = client.get("/link/", {"code": code})
    form = {"code": code, "csrfmiddlewaretoken": csrf_token_of(page), **extra}
    return client.post("/link/", form)


def test_a_get_shows_what_will_happen_and_a_button_and_uses_nothing_up(client, code):
    for _ in range(3):  # a prefetcher, a link preview, the person
        response = client.get("/link/", {"code": code})
        assert response.status_code == 200
        assert client.head("/link/", {"code": code}).status_code == 200
    assert code_unused()
    assert signed_in_as(client) is None
    content = response.content.decode()
    assert 'method="post"' in content and f'value="{code}"' in content
    assert "Link this browser" in content
    # What syncs and what stays local, before anything is decided.
    assert "Stays on your machine" in content and "Synced" in content
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_get_by_a_browser_signed_in_elsewhere_switches_nothing(client, code, verified_user):
    client.force_login(verified_user)
    assert client.get("/link/", {"code": code}).status_code == 200
    assert code_unused()
    assert signed_in_as(client) == str(verified_user.pk)


def test_a_cross_site_post_without_the_csrf_token_fails_and_uses_nothing(code):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/link/", {"code": code}, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert code_unused()
    assert signed_in_as(browser) is None


def test_the_post_uses_the_code_and_signs_the_browser_in(code, extension_user):
    browser = Client(enforce_csrf_checks=True)
    response = link_post(browser, code)
    assert response.status_code == 302
    assert response["Location"] == "/link/welcome/"
    assert signed_in_as(browser) == str(extension_user.pk)
    assert not code_unused()
    assert browser.get("/link/welcome/").status_code == 200


def test_a_browser_signed_in_to_another_account_confirms_the_switch_first(
    code, extension_user, verified_user
):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(verified_user)
    asked = link_post(browser, code)
    assert asked.status_code == 200
    assert b"Switch to the linked account" in asked.content
    assert code_unused()
    assert signed_in_as(browser) == str(verified_user.pk)

    confirmed = link_post(browser, code, switch="confirm")
    assert confirmed.status_code == 302
    assert signed_in_as(browser) == str(extension_user.pk)
    assert not code_unused()


def test_a_browser_already_in_that_account_keeps_the_code_for_a_device(code, extension_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(extension_user)
    response = link_post(browser, code)
    assert response.status_code == 302
    assert signed_in_as(browser) == str(extension_user.pk)
    assert code_unused()


def test_a_used_or_wrong_code_explains_kindly_and_signs_no_one_in(code):
    first = Client(enforce_csrf_checks=True)
    assert link_post(first, code).status_code == 302
    second = Client(enforce_csrf_checks=True)
    for wrong in [code, "BM-nope"]:
        response = link_post(second, wrong)
        assert response.status_code == 400
        assert b"not valid" in response.content
        assert signed_in_as(second) is None


def test_link_without_a_code_shows_a_form_that_posts(client):
    response = client.get("/link/")
    assert response.status_code == 200
    assert b"BM-xxxxxx-xxxxxx" in response.content and b'method="post"' in response.content


def test_welcome_sets_a_display_name_and_leaderboard_choice(client, extension_user):
    client.force_login(extension_user)
    page = client.get("/link/welcome/")
    assert b"Anonymous" in page.content
    response = client.post("/link/welcome/", {"display_name": "Ana", "leaderboard_global": "named"})
    assert response.status_code == 302 and response["Location"] == "/link/ready/"
    user = User.objects.get(pk=extension_user.pk)
    assert (user.display_name, user.leaderboard_global) == ("Ana", "named")
    # Only what was chosen changed: the other doors stay closed.
    assert (user.leaderboard_friends, user.leaderboard_company) == (False, False)
    assert (user.share_progress, user.share_streaks) == (False, False)
    ready = client.get("/link/ready/").content.decode()
    for where in ["/dashboard/", "/account/privacy/", "/account/devices/"]:
        assert f'href="{where}"' in ready


def test_welcome_leaves_everything_closed_when_nothing_is_chosen(client, extension_user):
    client.force_login(extension_user)
    response = client.post("/link/welcome/", {"display_name": "", "leaderboard_global": "hidden"})
    assert response.status_code == 302
    user = User.objects.get(pk=extension_user.pk)
    assert (user.display_name, user.leaderboard_global) == ("", "hidden")


@pytest.mark.parametrize(
    "form",
    [
        {"display_name": "", "leaderboard_global": "named"},
        {"display_name": "x" * 41, "leaderboard_global": "hidden"},
        {"display_name": "tab\there", "leaderboard_global": "hidden"},
        {"display_name": "Ana", "leaderboard_global": "everyone"},
    ],
    ids=["named without a name", "too long", "unprintable", "unknown choice"],
)
def test_welcome_refuses_a_wrong_choice_and_stores_nothing(client, extension_user, form):
    client.force_login(extension_user)
    response = client.post("/link/welcome/", form)
    assert response.status_code == 200
    user = User.objects.get(pk=extension_user.pk)
    assert (user.display_name, user.leaderboard_global) == ("", "hidden")


def test_onboarding_pages_need_a_signed_in_browser(client):
    for path in ["/link/welcome/", "/link/ready/"]:
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
