"""Every API operation, fuzzed from the app's own OpenAPI schema: never a 5xx, never off-schema.

The schema is read from /api/schema/ in-process, so each new endpoint is fuzzed as soon as it is
routed. Each generated request gets a brand-new account and device token, because some operations
(DELETE /api/v1/me, revoking a device) end the very token they were called with, and a fresh
throttle count, so later examples reach the view instead of stopping at 429.
"""

import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from breathmaster.wsgi import application

pytestmark = pytest.mark.django_db(transaction=True)

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Small on purpose: the whole file should stay well under two minutes.
FUZZ = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))


def fresh_throttles() -> None:
    from conftest import clear_test_cache

    clear_test_cache()


def fresh_device_token() -> str:
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from accounts.services import device_create

    email = f"fuzz-{uuid.uuid4().hex[:12]}@example.com"
    user = User.objects.create_user(email=email, password="calm-breath-42", display_name="Fuzz")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    _, token = device_create(user=user, name="Fuzzer", platform="linux")
    return token


# The parametrization also gives every operation its own pytest node id, which pytest-xdist
# needs to run each one (without it, schemathesis' items share the bare function's id).
@schema.parametrize()
@pytest.mark.parametrize("credentials", ["device-token", "none"])
@FUZZ
def test_every_operation_answers_within_its_schema(case, credentials):
    fresh_throttles()
    # Explicit-example cases are shared between both runs, so set (or clear) the header each time.
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    if credentials == "device-token":
        headers["Authorization"] = f"Bearer {fresh_device_token()}"
    case.headers = headers
    case.call_and_validate(checks=CHECKS)
