"""Every HTML page of the site, found from the URL configuration, for whole-site checks.

A page is a route without parameters that answers a plain GET with 200 and HTML for the person
asking (a visitor or a signed-in member); the API, the admin and allauth's many screens are left
out, except sign-in, sign-up and password reset. New pages join the tour by existing.
"""

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

LEFT_OUT = ("/api/", "/admin/", "/accounts/", "/static/", "/healthz", "/billing/stripe/")
ACCOUNT_PAGES = ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/")


def _routes(patterns, prefix: str = ""):
    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern) or "<" in str(entry.pattern):
            continue
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield "/" + route


def site_pages(*, user=None) -> list[str]:
    """The paths that answer `user` (None: a visitor) with an HTML page of their own."""
    client = Client()
    if user is not None:
        client.force_login(user)
    candidates = sorted(set(_routes(get_resolver().url_patterns)))
    candidates = [path for path in candidates if not path.startswith(LEFT_OUT)]
    if user is None:
        candidates += list(ACCOUNT_PAGES)
    pages = []
    for path in candidates:
        answer = client.get(path)
        if answer.status_code == 200 and answer["Content-Type"].startswith("text/html"):
            pages.append(path)
    return pages


def slug(path: str) -> str:
    return path.strip("/").replace("/", "-") or "home"
