"""Claiming an anonymous account with an email tells the claimant nothing about the address
(issue 9, item 7): whether it is free or registered elsewhere, everything the claimant can read
before the mailed link is followed is the same. The address counts only once confirmed.

Each account starts the way the extension's does: `POST /auth/anonymous`, a sync code, and a
browser linked with it on `/link/`.
"""

import difflib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail, signing
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import user_sync_enable

pytestmark = pytest.mark.django_db

PASSWORD = "slow-exhale-77"
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/account/claim/confirm/\S+/)")
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Claimant:
    user_id: str
    api: APIClient
    browser: Client


def csrf_token_of(response) -> str:
    match = CSRF.search(response.content)
    assert match, "the page should carry a CSRF token in its form"
    return match.group(1).decode()


def post_form(browser: Client, path: str, form: dict):
    page = browser.get(path)
    assert page.status_code == 200, path
    return browser.post(path, {"csrfmiddlewaretoken": csrf_token_of(page), **form})


def extension_account_linked_in_a_browser() -> Claimant:
    api = APIClient()
    created = api.post("/api/v1/auth/anonymous", {"deviceName": "Laptop"}, format="json")
    assert created.status_code == 201
    user_id = created.json()["userId"]
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {created.json()['token']}")
    user_sync_enable(user=User.objects.get(pk=user_id))  # sync codes need sync on
    code = api.post("/api/v1/auth/sync-codes").json()["code"]
    browser = Client(enforce_csrf_checks=True)
    linked = browser.get("/link/", {"code": code})
    linked = browser.post("/link/", {"code": code, "csrfmiddlewaretoken": csrf_token_of(linked)})
    assert linked.status_code == 302
    return Claimant(user_id=user_id, api=api, browser=browser)


def claim(claimant: Claimant, email: str, capture):
    with capture(execute=True):
        answer = post_form(
            claimant.browser,
            "/account/claim/",
            {"email": email, "password1": PASSWORD, "password2": PASSWORD},
        )
    followed = claimant.browser.get(answer["Location"]) if answer.status_code == 302 else answer
    return answer, followed


def export_document(claimant: Claimant, capture) -> bytes:
    with capture(execute=True):
        export_id = claimant.api.post("/api/v1/me/export").json()["exportId"]
    url = claimant.api.get(f"/api/v1/me/export/{export_id}").json()["downloadUrl"]
    parts = urlsplit(url)
    return APIClient().get(f"{parts.path}?{parts.query}").content


def answer_text(answer, followed, claimant: Claimant) -> str:
    text = f"{answer.status_code} {answer.get('Location', '')}\n{followed.content.decode()}"
    return scrub(text, User.objects.get(pk=claimant.user_id))


def what_the_claimant_sees(claimant: Claimant, capture) -> dict[str, str]:
    """Every answer the claimant can read about their own account, with what is unique to each
    account (ids, codes, CSRF tokens, instants) replaced by the same placeholders."""
    user = User.objects.get(pk=claimant.user_id)
    answers = {"/api/v1/me": claimant.api.get("/api/v1/me")}
    for path in [
        "/account/privacy/",
        "/account/claim/",
        "/account/devices/",
        "/account/delete/",
        "/dashboard/",
        "/accounts/email/",
        "/accounts/password/change/",
    ]:
        answers[path] = claimant.browser.get(path)
    seen = {
        path: f"{answer.status_code} {answer.get('Location', '')}\n{answer.content.decode()}"
        for path, answer in answers.items()
    }
    seen["export"] = export_document(claimant, capture).decode()
    return {path: scrub(text, user) for path, text in seen.items()}


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?")


def scrub(text: str, user: User) -> str:
    text = INSTANT.sub("<instant>", UUID.sub("<uuid>", text))
    for unique in [user.friend_code, str(user.pk)[:8]]:
        text = text.replace(unique, "<unique>")
    return CSRF.sub(b'name="csrfmiddlewaretoken" value="<csrf>"', text.encode()).decode()


def first_difference(free: str, taken: str) -> str:
    diff = difflib.unified_diff(free.splitlines(), taken.splitlines(), "free", "taken", n=0)
    return "\n".join(list(diff)[2:8])


def test_claiming_a_free_or_a_registered_address_looks_the_same_until_confirmed(
    verified_user, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    free, taken = extension_account_linked_in_a_browser(), extension_account_linked_in_a_browser()
    free_answer, free_page = claim(free, "new@example.com", capture)
    taken_answer, taken_page = claim(taken, "Maya@Example.com", capture)

    free_sees = {"claim answer": answer_text(free_answer, free_page, free)}
    taken_sees = {"claim answer": answer_text(taken_answer, taken_page, taken)}
    free_sees |= what_the_claimant_sees(free, capture)
    taken_sees |= what_the_claimant_sees(taken, capture)
    assert set(free_sees) == set(taken_sees)
    differences = {
        path: first_difference(free_sees[path], taken_sees[path])
        for path in free_sees
        if free_sees[path] != taken_sees[path]
    }
    assert differences == {}, "\n\n".join(f"{path}:\n{diff}" for path, diff in differences.items())
    me = free.api.get("/api/v1/me").json()
    assert (me["email"], me["emailVerified"]) == (None, False)

    # Each address got its one mail: the new one a link to confirm, Maya a note that someone
    # tried (and nothing of hers changed).
    assert sorted(message.to[0] for message in mail.outbox) == [
        "maya@example.com",
        "new@example.com",
    ]
    note = next(message for message in mail.outbox if message.to == ["maya@example.com"])
    assert "/accounts/password/reset/" in note.body and not CONFIRM_LINK.search(note.body)
    assert EmailAddress.objects.get(email="maya@example.com").user_id == verified_user.pk


def confirmation_path(address: str) -> str:
    message = next(message for message in mail.outbox if message.to == [address])
    match = CONFIRM_LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def test_following_the_mailed_link_sets_the_email_verified(django_capture_on_commit_callbacks):
    claimant = extension_account_linked_in_a_browser()
    claim(claimant, "new@example.com", django_capture_on_commit_callbacks)
    path = confirmation_path("new@example.com")

    # The mail may be opened anywhere: a fresh browser, signed in to nothing. A GET (a link
    # preview, a prefetcher) only shows the button.
    elsewhere = Client(enforce_csrf_checks=True)
    for _ in range(2):
        page = elsewhere.get(path)
        assert page.status_code == 200 and b"new@example.com" in page.content
    assert claimant.api.get("/api/v1/me").json()["email"] is None

    confirmed = post_form(elsewhere, path, {})
    assert confirmed.status_code == 302
    me = claimant.api.get("/api/v1/me").json()
    assert (me["email"], me["emailVerified"]) == ("new@example.com", True)
    assert claimant.browser.get("/account/claim/").status_code == 302  # nothing left to claim
    # The account signs in on the web with it now.
    assert Client().login(email="new@example.com", password=PASSWORD)
    # The link is used up: following it again changes nothing and says so calmly.
    again = elsewhere.get(path)
    assert again.status_code == 400
    assert EmailAddress.objects.filter(email="new@example.com").count() == 1


def test_nothing_of_the_claim_is_kept_before_the_link_is_followed(
    verified_user, django_capture_on_commit_callbacks
):
    claimant = extension_account_linked_in_a_browser()
    claim(claimant, "new@example.com", django_capture_on_commit_callbacks)
    assert not EmailAddress.objects.filter(email="new@example.com").exists()
    assert User.objects.get(pk=claimant.user_id).email is None
    # So the address's real owner can still sign up with it as if nothing happened.
    signup = Client()
    answer = signup.post(
        "/accounts/signup/",
        {"email": "new@example.com", "password1": "own-breath-99", "password2": "own-breath-99"},
    )
    assert answer.status_code == 302
    owner = User.objects.get(email="new@example.com")
    assert owner.pk != claimant.user_id


def test_a_link_for_an_address_registered_meanwhile_changes_nothing(
    django_capture_on_commit_callbacks,
):
    claimant = extension_account_linked_in_a_browser()
    claim(claimant, "new@example.com", django_capture_on_commit_callbacks)
    path = confirmation_path("new@example.com")
    owner = User.objects.create_user(email="new@example.com", password="own-breath-99")
    EmailAddress.objects.create(user=owner, email="new@example.com", verified=True, primary=True)

    answer = post_form(Client(enforce_csrf_checks=True), path, {})
    assert answer.status_code == 400
    assert claimant.api.get("/api/v1/me").json()["email"] is None
    assert EmailAddress.objects.get(email="new@example.com").user_id == owner.pk


def test_a_forged_or_tampered_link_confirms_nothing(django_capture_on_commit_callbacks):
    claimant = extension_account_linked_in_a_browser()
    claim(claimant, "new@example.com", django_capture_on_commit_callbacks)
    path = confirmation_path("new@example.com")
    token = path.rstrip("/").rsplit("/", 1)[1]
    payload = signing.loads(token, salt="accounts.claim")
    forged = signing.dumps({**payload, "email": "boss@example.com"}, key="a guess", salt="x")
    browser = Client()
    for bad in [forged, token[:-3] + "AAA", "BM-abc"]:
        assert browser.get(f"/account/claim/confirm/{bad}/").status_code == 400
        assert browser.post(f"/account/claim/confirm/{bad}/").status_code == 400
    assert claimant.api.get("/api/v1/me").json()["email"] is None
    assert not EmailAddress.objects.filter(email__in=["new@example.com", "boss@example.com"])


def test_only_the_latest_claims_link_works(django_capture_on_commit_callbacks):
    """A typo first, then the right address: the stranger who got the first link cannot make
    their address this account's email."""
    claimant = extension_account_linked_in_a_browser()
    claim(claimant, "typo@example.com", django_capture_on_commit_callbacks)
    claim(claimant, "new@example.com", django_capture_on_commit_callbacks)
    stale, latest = confirmation_path("typo@example.com"), confirmation_path("new@example.com")
    assert post_form_answer(stale).status_code == 400
    assert post_form_answer(latest).status_code == 302
    assert claimant.api.get("/api/v1/me").json()["email"] == "new@example.com"


def post_form_answer(path: str):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(path)
    if page.status_code != 200:
        return page
    return browser.post(path, {"csrfmiddlewaretoken": csrf_token_of(page)})
