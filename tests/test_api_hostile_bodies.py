"""Hostile bodies sent to EVERY JSON endpoint of our own OpenAPI schema (issue 9, "Proofs").

Beside the schemathesis run (which looks for 5xx and off-schema answers with well-formed
examples), this step sends what a hostile client sends: nesting, huge bodies and values, NUL
characters and wrongly typed fields, one field at a time, at the top and one level down. Each
must be a `4xx` in the contract's shape, small, and store nothing (every table counted before
and after, in one statement). The operations are read from the schema, so an endpoint a
teammate routes tomorrow is covered with no change here.
"""

import json
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import device_create, user_sync_enable
from breathmaster.tests.api_operations import generated_schema, json_operations, resolve

pytestmark = pytest.mark.django_db

SCHEMA = generated_schema()
COMPONENTS = SCHEMA.get("components", {}).get("schemas", {})

MAX_ANSWER_BYTES = 32_768
MAX_DEPTH = 5  # fields this many levels down are each made wrong in turn
DEEP = json.loads("[" * 40 + "]" * 40)  # within the parser's bound, so it reaches the fields
NUL = "breath\x00master"
HUGE_STRING = "x" * 1_100_000
WHOLE_BODIES = {
    "1,000 nested arrays": "[" * 1000 + "]" * 1000,
    "a raw NUL byte": '{"a": "\x00"}',
    "a list": "[]",
    "a string": '"hello"',
    "a number": "1",
    "null": "null",
    "3 MB of spaces in an object": "{" + " " * 3_000_000 + "}",
}
FORMAT_EXAMPLES = {
    "date": "2026-11-20",
    "date-time": "2026-11-20T08:00:00+00:00",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "email": "someone@example.com",
    "uri": "https://example.com/a",
}


def valid_value(schema: dict, components: dict):
    """A plausible value of this schema, for the fields around the one made wrong."""
    schema = resolve(schema, components)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "string":
        return FORMAT_EXAMPLES.get(schema.get("format"), "calm")
    if kind in ("integer", "number"):
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {
            name: valid_value(properties[name], components)
            for name in schema.get("required", [])
            if name in properties
        }
    return "calm"


def wrong_values(schema: dict, components: dict) -> dict:
    """Values of the wrong type, NUL-laden, huge or nested, for a field of this schema."""
    schema = resolve(schema, components)
    kind = schema.get("type") or ("string" if "enum" in schema else None)
    if kind == "string":
        return {
            "an integer": 123,
            "a list": ["calm"],
            "an object": {"a": "b"},
            "a boolean": True,
            "NUL-laden": NUL,
            "1.1 MB long": HUGE_STRING,
            "nested 40 deep": DEEP,
        }
    if kind == "integer":
        return {
            "a string": "40",
            "a float": 1.5,
            "a boolean": True,
            "30 digits": 10**30,
            "NUL": "\x00",
            "nested 40 deep": DEEP,
        }
    if kind == "boolean":
        return {"a string": "true", "an integer": 1, "NUL": "\x00", "nested 40 deep": DEEP}
    if kind == "array":
        item = resolve(schema.get("items", {}), components)
        values = {"a string": "calm", "an object": {}, "nested 40 deep": [DEEP]}
        if item.get("type") == "string":
            values |= {"NUL-laden items": [NUL], "200,000 items": ["calm"] * 200_000}
        return values
    if kind == "object" and schema.get("properties"):
        return {"a string": "calm", "a list": [], "an integer": 1, "NUL": NUL}
    return {}  # free-form JSON: no wrong type to send


def wrong_variants(schema: dict, components: dict, depth: int):
    """(name, value) pairs: a value of this schema with exactly one thing wrong in it, the
    thing being the value itself or, `depth` levels down, one field or one list item."""
    yield from wrong_values(schema, components).items()
    if depth == 0:
        return
    schema = resolve(schema, components)
    if schema.get("properties"):
        base = valid_value(schema, components)
        for field, field_schema in schema["properties"].items():
            for name, value in wrong_variants(field_schema, components, depth - 1):
                yield f"{field}: {name}", {**base, field: value}
    items = resolve(schema.get("items", {}), components)
    if schema.get("type") == "array" and items.get("properties"):
        for name, value in wrong_variants(items, components, depth - 1):
            yield f"[0].{name}", [value]


def hostile_bodies(operation, components: dict):
    """(name, body) pairs: whole bodies, then the operation's body with one thing wrong."""
    yield from WHOLE_BODIES.items()
    for name, value in wrong_variants(operation.request_schema, components, MAX_DEPTH):
        yield name, json.dumps(value)


def row_counts() -> tuple[int, ...]:
    """Every table's row count, in one statement."""
    tables = sorted({model._meta.db_table for model in apps.get_models()})
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT count(*) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return tuple(cursor.fetchone())


def fresh_client() -> APIClient:
    email = f"hostile-{uuid.uuid4().hex[:10]}@example.com"
    user = User.objects.create_user(email=email, password="calm-breath-42", display_name="H")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    user_sync_enable(user=user)
    _, token = device_create(user=user, name="Probe", platform="linux")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def problem_with(response) -> str | None:
    if not 400 <= response.status_code < 500:
        return f"answered {response.status_code}"
    if not response["Content-Type"].startswith("application/json"):
        return f"answered {response['Content-Type']}"
    if len(response.content) > MAX_ANSWER_BYTES:
        return f"answered {len(response.content)} bytes"
    body = response.json()
    if not isinstance(body.get("code"), str) or not isinstance(body.get("detail"), str):
        return f"answered off the contract's shape: {str(body)[:200]}"
    if "errors" in body and not isinstance(body["errors"], dict):
        return "answered errors that are not an object"
    return None


def test_the_schema_lists_the_json_endpoints():
    paths = {operation.path for operation in json_operations(SCHEMA)}
    assert {"/api/v1/auth/anonymous", "/api/v1/me", "/api/v1/sync"} <= paths


@pytest.mark.parametrize("operation", json_operations(SCHEMA), ids=str)
def test_hostile_bodies_are_refused_and_store_nothing(operation):
    from conftest import clear_test_cache

    client = fresh_client()
    wrong, sent = [], 0
    for name, body in hostile_bodies(operation, COMPONENTS):
        clear_test_cache()  # throttles would otherwise answer 429 before the body is read
        before = row_counts()
        response = client.generic(
            operation.method.upper(), operation.url, body, content_type="application/json"
        )
        sent += 1
        problem = problem_with(response)
        if problem is None and row_counts() != before:
            problem = f"stored something ({response.status_code})"
        if problem:
            wrong.append(f"{name}: {problem}")
    assert sent >= len(WHOLE_BODIES)
    hint = "Strict fields for JSON types are in breathmaster/api/fields.py."
    assert not wrong, f"{operation}, {len(wrong)} of {sent}:\n" + "\n".join(wrong) + "\n" + hint
