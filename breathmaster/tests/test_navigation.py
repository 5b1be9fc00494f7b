"""The site's navigation (breathmaster.navigation), in the HTML every page sends."""

import re

import pytest
from django.urls import set_script_prefix


def _nav_lists(html: str) -> list[str]:
    return re.findall(r'<ul class="nav-links">.*?</ul>', html, re.S)


@pytest.mark.django_db
def test_both_lists_mark_the_page_you_are_on_and_sign_out_with_a_csrf_token(client, verified_user):
    client.force_login(verified_user)
    html = client.get("/billing/plans/").content.decode()
    wide, folded = _nav_lists(html)
    assert wide == folded  # the same list, shown twice
    current = re.findall(r'<a href="([^"]+)" aria-current="page">([^<]+)</a>', wide)
    assert current == [("/billing/", "Billing")]  # the plans belong to Billing
    assert wide.count("<li>") == 8  # seven pages and the sign-out form
    assert re.search(
        r'<form method="post" action="/accounts/logout/">'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">',
        wide,
    )


@pytest.mark.django_db
def test_someone_signed_out_is_offered_sign_in_and_an_account(client):
    wide, _folded = _nav_lists(client.get("/accounts/signup/").content.decode())
    assert re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', wide) == [
        ("/accounts/login/", "", "Sign in"),
        ("/accounts/signup/", ' aria-current="page"', "Create account"),
    ]
    assert "Sign out" not in wide


@pytest.mark.django_db
def test_links_follow_the_script_prefix_of_each_request(client, verified_user):
    # The addresses are reversed once per process: a site served under a prefix must not
    # hand its prefixed links to a request without one, nor the other way round.
    client.force_login(verified_user)
    try:
        for prefix in ("/calm", "", "/calm"):
            set_script_prefix(f"{prefix}/")  # as the WSGI handler does from SCRIPT_NAME
            wide, _folded = _nav_lists(client.get("/billing/").content.decode())
            assert f'<a href="{prefix}/friends/">Friends</a>' in wide
    finally:
        set_script_prefix("/")
