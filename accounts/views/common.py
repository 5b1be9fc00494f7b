"""Small pieces the account pages share."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def throttled(request: HttpRequest, throttle_class) -> int | None:
    """Seconds to wait when the request is over its limit, else None."""
    throttle = throttle_class()
    if throttle.allow_request(request, None):
        return None
    return max(1, int((throttle.wait() or 1) + 0.999))


def slow_down(request: HttpRequest, template: str, wait: int, context: dict) -> HttpResponse:
    response = render(request, template, {**context, "retry_after": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


def private(response: HttpResponse) -> HttpResponse:
    """For a page whose address holds a secret (a sync code, a claim link): keep it out of caches
    and out of other sites' Referer headers (same-origin, not no-referrer: that would send
    `Origin: null` and fail the CSRF check)."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response
