"""One error type for broken rules, and one handler that renders every API error the same way.

Every error body is `{code, detail}` plus `errors: {fieldName: [...]}` for validation errors
(CONTRACT.md, "Conventions"): never an HTML page, never a traceback.
"""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

logger = logging.getLogger(__name__)


SERVER_ERROR_DETAIL = "Something went wrong on our side. Please try again later."


class ApplicationError(Exception):
    """A business rule said no. Services raise it; the handler turns it into an answer."""

    def __init__(
        self,
        detail: str,
        *,
        code: str,
        status_code: int = status.HTTP_400_BAD_REQUEST,
        extra: dict | None = None,
        errors: dict | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(detail)
        self.detail = detail
        self.code = code
        self.status_code = status_code
        self.extra = extra or {}
        self.errors = errors
        self.headers = headers or {}


# Stable codes and calm sentences for the errors DRF raises itself.
DRF_ERRORS: dict[type, tuple[str, str]] = {
    exceptions.ParseError: ("invalid_json", "The request body is not valid JSON."),
    exceptions.NotAuthenticated: (
        "not_authenticated",
        "This needs a device token: send 'Authorization: Bearer <token>'.",
    ),
    exceptions.AuthenticationFailed: (
        "invalid_token",
        "That token is not valid, or its device was signed out.",
    ),
    exceptions.PermissionDenied: ("permission_denied", "This account cannot do that."),
    exceptions.NotFound: ("not_found", "Nothing is here."),
    exceptions.MethodNotAllowed: ("method_not_allowed", "That method is not allowed here."),
    exceptions.NotAcceptable: ("not_acceptable", "This API answers in JSON only."),
    exceptions.UnsupportedMediaType: (
        "unsupported_media_type",
        "Send the body as JSON (Content-Type: application/json).",
    ),
    exceptions.Throttled: ("rate_limited", "That was a lot of requests. Please try again shortly."),
}


# A validation answer lists this many messages at most, and says how many it left out, so a
# huge body can never make an even larger answer.
MAX_ERROR_MESSAGES = 40
MAX_ERROR_TEXT = 200


def error_body(code: str, detail: str, errors: dict | None = None, **extra) -> dict:
    body = {"code": code, "detail": detail, **extra}
    if errors is not None:
        budget = _Budget(MAX_ERROR_MESSAGES)
        body["errors"] = _capped(errors, budget) or {}
        if budget.omitted:
            body["errorsOmitted"] = budget.omitted
    return body


class _Budget:
    def __init__(self, messages: int):
        self.left = messages
        self.omitted = 0

    def take(self) -> bool:
        if self.left > 0:
            self.left -= 1
            return True
        self.omitted += 1
        return False


def _short(text) -> str:
    text = str(text)
    return text if len(text) <= MAX_ERROR_TEXT else text[: MAX_ERROR_TEXT - 1] + "…"


def _capped(errors, budget: _Budget):
    """The first messages of an error tree, in order, with long texts and keys shortened.

    A list of per-item errors becomes `{index: errors}` for the items that have any, so a
    thousand valid items do not answer a thousand empty objects.
    """
    if isinstance(errors, dict):
        kept = {}
        for key, value in errors.items():
            value = _capped(value, budget)
            if value:
                kept[_short(key)] = value
        return kept
    if isinstance(errors, (list, tuple)):
        if all(not isinstance(item, (dict, list, tuple)) for item in errors):
            return [_short(item) for item in errors if budget.take()]
        return _capped({str(index): item for index, item in enumerate(errors)}, budget)
    return [_short(errors)] if budget.take() else []


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        body = error_body(exc.code, exc.detail, exc.errors, **exc.extra)
        return Response(body, status=exc.status_code, headers=exc.headers)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        body = error_body("request_too_large", "The request body is too large.")
        return Response(body, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, exceptions.ValidationError):
        return _validation_response(exc)
    if isinstance(exc, exceptions.APIException):
        return _api_exception_response(exc)
    logger.exception("Unhandled error in %s", context.get("view"))
    body = error_body("server_error", SERVER_ERROR_DETAIL)
    return Response(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def _api_exception_response(exc: exceptions.APIException) -> Response:
    code, detail = DRF_ERRORS.get(type(exc), (None, None))
    if code is None:
        code = exc.default_code
        detail = str(exc.detail)
    headers = {}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed)):
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
        # DRF downgrades to 403 when no authenticate header is known; the contract says 401.
        exc.status_code = status.HTTP_401_UNAUTHORIZED
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail) != str(
        exceptions.PermissionDenied.default_detail
    ):
        detail = str(exc.detail)
    return Response(error_body(code, detail), status=exc.status_code, headers=headers)


def _validation_response(exc: exceptions.ValidationError) -> Response:
    errors = exc.detail if isinstance(exc.detail, dict) else {"nonFieldErrors": exc.detail}
    body = error_body("invalid", "Some fields need another look.", errors=errors)
    return Response(body, status=status.HTTP_400_BAD_REQUEST)
