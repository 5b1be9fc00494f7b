"""The pages' session, auth and messages middleware pass the JSON API by, and only it."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from breathmaster import middleware

PAGES_ONLY = [
    middleware.SessionMiddleware,
    middleware.AuthenticationMiddleware,
    middleware.MessageMiddleware,
]


def answer_ok(request):
    return HttpResponse("ok")


@pytest.mark.parametrize("page_only", PAGES_ONLY, ids=lambda c: c.__name__)
def test_an_api_request_is_passed_by(page_only):
    request = RequestFactory().post("/api/v1/sync", data=b"{}", content_type="application/json")
    seen = []
    answer = page_only(lambda r: seen.append(r) or answer_ok(r))(request)
    assert seen == [request] and answer.status_code == 200 and not answer.cookies
    assert not any(hasattr(request, name) for name in ("session", "user", "_messages"))


def test_a_page_request_goes_through_every_one():
    request = RequestFactory().get("/dashboard/")
    chain = answer_ok
    for page_only in reversed(PAGES_ONLY):
        chain = page_only(chain)
    chain(request)
    assert all(hasattr(request, name) for name in ("session", "user", "_messages"))


def test_settings_use_them_where_djangos_own_stood():
    names = [f"breathmaster.middleware.{cls.__name__}" for cls in PAGES_ONLY]
    assert all(name in settings.MIDDLEWARE for name in names)
    assert "allauth.account.middleware.AccountMiddleware" in settings.MIDDLEWARE
