"""Middleware of our own."""

from csp.middleware import CSPMiddleware
from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions
from django.http import HttpRequest, HttpResponseBase

API_PREFIX = "/api/v1/"
# A JSON answer loads nothing and may be framed by nobody (OWASP's advice for REST APIs).
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy for pages; for the JSON API a fixed one that allows nothing.

    django-csp builds its header anew for every response (copying the settings' directives
    twice), about 0.2 ms of CPU: a sixth of an upload's Python outside the view
    (bench/sync.py). A JSON answer has no nonce and no per-view policy, so it gets a constant.
    """

    def process_request(self, request: HttpRequest) -> None:
        if not is_api_request(request):
            super().process_request(request)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not is_api_request(request):
            return super().process_response(request, response)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = API_CONTENT_SECURITY_POLICY
        return response


class PagesOnly:
    """For the pages' middleware that the JSON API does without: `/api/v1/` is authenticated by
    device token alone (DRF) and keeps no session and shows no messages, so its requests pass
    these by: ~0.15 to 0.25 ms of CPU an upload (bench/sync.py, in-process, interleaved). As
    subclasses they still satisfy the admin's checks. CSRF stays Django's own (the deploy check
    asks for it by name; its views are exempt and send no cookie, so it costs the API little)."""

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if is_api_request(request):
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddleware(PagesOnly, sessions.SessionMiddleware):
    pass


class AuthenticationMiddleware(PagesOnly, auth.AuthenticationMiddleware):
    pass


class MessageMiddleware(PagesOnly, messages.MessageMiddleware):
    pass
