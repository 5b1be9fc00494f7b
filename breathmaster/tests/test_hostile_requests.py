"""What a hostile client sends, answered calmly on every endpoint (issue 9, items 2, 5, 6, 10).

The operations come from our own OpenAPI schema, so endpoints routed later are covered too.
"""

import base64
import json
import logging

import pytest
from allauth.account.models import EmailAddress
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import device_create, user_sync_enable
from breathmaster.tests.api_operations import api_operations, json_operations

pytestmark = pytest.mark.django_db

NESTED_ARRAYS = "[" * 1000 + "]" * 1000  # 2 kB: the body that used to be a RecursionError
BAD_JSON = {
    "1,000 nested arrays": NESTED_ARRAYS,
    "1,000 nested objects": '{"a":' * 1000 + "1" + "}" * 1000,
    "100 nested arrays (past our bound, short of Python's)": "[" * 100 + "]" * 100,
    "nesting hidden after a valid start": '{"deviceName": "x", "deep": ' + NESTED_ARRAYS + "}",
    "cut off": '{"deviceName": "Lapt',
    "not UTF-8": b'{"deviceName": "\xff\xfe"}',
    "NaN": '{"totalXP": NaN}',
    "two documents": "{} {}",
    "a number of 5,000 digits": "1" * 5000,
    "single quotes": "{'deviceName': 'x'}",
}


def fresh_client(*, token: bool) -> APIClient:
    """A verified user with sync on, so no gate stands between the body and its parser."""
    client = APIClient()
    if not token:
        return client
    email = f"hostile-{User.objects.count()}@example.com"
    user = User.objects.create_user(email=email, password="calm-breath-42", display_name="H")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    user_sync_enable(user=user)
    _, secret = device_create(user=user, name="Probe", platform="linux")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def send(client: APIClient, operation, body, **extra):
    return client.generic(
        operation.method.upper(), operation.url, body, content_type="application/json", **extra
    )


def contract_error(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert isinstance(body.get("code"), str) and isinstance(body.get("detail"), str), body
    return body


def test_bad_json_of_any_shape_is_400_invalid_json_on_every_json_endpoint(caplog):
    operations = json_operations()
    assert len(operations) >= 5, "the schema should list the JSON endpoints"
    client = fresh_client(token=True)
    caplog.set_level(logging.WARNING)
    wrong = []
    for operation in operations:
        for name, body in BAD_JSON.items():
            response = send(client, operation, body)
            allowed = {400, 404} if operation.has_path_params else {400}
            code = contract_error(response)["code"] if response.status_code < 500 else None
            if response.status_code not in allowed or (
                response.status_code == 400 and code != "invalid_json"
            ):
                wrong.append(f"{operation} with {name}: {response.status_code} {code}")
    assert not wrong, "\n".join(wrong)
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not logged, [record.getMessage() for record in logged]


def test_tokenless_endpoints_refuse_bad_json_too_and_the_rest_ask_for_a_token(caplog):
    client = fresh_client(token=False)
    tokenless = [operation for operation in json_operations() if operation.tokenless]
    assert {"/api/v1/auth/anonymous", "/api/v1/sync/eligibility"} <= {o.path for o in tokenless}
    wrong = []
    for operation in json_operations():
        response = send(client, operation, NESTED_ARRAYS)
        expected = (400, "invalid_json") if operation.tokenless else (401, "not_authenticated")
        if (response.status_code, contract_error(response)["code"]) != expected:
            wrong.append(f"{operation}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


def test_a_valid_body_still_parses_with_strings_full_of_brackets():
    brackets = "[{" * 200
    response = APIClient().post(
        "/api/v1/auth/anonymous",
        json.dumps({"deviceName": brackets[:80], "platform": "linux"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert User.objects.count() == 1


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


CRAFTED_CURSORS = {
    "a position of 2026": b64("p=2026"),
    "a position that is not a time": b64("o=0&r=0&p=not-a-time"),
    "a negative offset": b64("o=-5"),
    "not base64": "!!!not-base64!!!",
    "base64 of bytes": base64.b64encode(b"\xff\xfe\x00").decode(),
    "a reverse flag of words": b64("r=yes"),
    "a huge offset": b64("o=99999999999999999999"),
}


def paginated_lists() -> list:
    return [
        operation
        for operation in api_operations()
        if operation.method == "get" and "cursor" in operation.query_params
    ]


def test_a_crafted_cursor_is_400_invalid_cursor_on_every_paginated_list():
    lists = paginated_lists()
    assert "/api/v1/devices" in {operation.path for operation in lists}
    client = fresh_client(token=True)
    wrong, read = [], []
    for operation in lists:
        if client.get(operation.url).status_code != 200:
            continue  # a list this account may not read stops before any cursor is read
        read.append(operation.path)
        for name, cursor in CRAFTED_CURSORS.items():
            response = client.get(operation.url, {"cursor": cursor})
            code = contract_error(response)["code"] if response.status_code < 500 else None
            if (response.status_code, code) != (400, "invalid_cursor"):
                wrong.append(f"{operation} with {name}: {response.status_code} {code}")
    assert not wrong, "\n".join(wrong)
    assert len(read) >= len([o for o in lists if not o.has_path_params]), read


def test_the_cursors_we_hand_out_still_turn_the_page(verified_user, device_client):
    client = device_client(verified_user)
    for name in ["Desktop", "Tablet"]:
        device_create(user=verified_user, name=name, platform="linux")
    first = client.get("/api/v1/devices", {"pageSize": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    second = client.get("/api/v1/devices", {"pageSize": 2, "cursor": first["next"]})
    assert second.status_code == 200
    names = [d["name"] for d in first["results"] + second.json()["results"]]
    assert sorted(names) == ["Desktop", "Laptop", "Tablet"]
    # A cursor we made for this list, edited by hand, is no longer ours.
    cursor = first["next"]
    forged = cursor[:10] + ("B" if cursor[10] == "A" else "A") + cursor[11:]
    assert client.get("/api/v1/devices", {"cursor": forged}).status_code == 400


@pytest.mark.parametrize("debug", [True, False], ids=["DEBUG=True", "DEBUG=False"])
@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/v1/no-such-thing"),
        ("post", "/api/v1/no/such/thing"),
        ("get", "/api/v1/me/"),
        ("get", "/api/nothing-here"),
        ("delete", "/api/v2/me"),
    ],
)
def test_an_unknown_api_path_is_the_contract_json_404_in_every_mode(settings, debug, method, path):
    settings.DEBUG = debug
    response = getattr(APIClient(), method)(path)
    assert response.status_code == 404
    assert contract_error(response) == {"code": "not_found", "detail": "Nothing is here."}
    assert b"URLconf" not in response.content and b"api/v1/" not in response.content


def test_a_validation_error_for_a_huge_body_stays_small(verified_user, device_client):
    client = device_client(verified_user)
    unknown_fields = {f"field{i:06d}": i for i in range(60_000)}  # about 1.2 MB
    response = client.patch("/api/v1/me", unknown_fields, format="json")
    assert response.status_code == 400
    body = contract_error(response)
    assert body["code"] == "invalid"
    assert 10 <= len(body["errors"]) <= 50
    assert body["errorsOmitted"] == 60_000 - len(body["errors"])
    assert len(response.content) < 16_384
    assert list(body["errors"])[0] == "field000000"


def test_thousands_of_bad_days_answer_a_short_list_and_a_count(verified_user, device_client):
    user_sync_enable(user=verified_user)
    days = [{"date": "not-a-day", "xp": "1", "sessions": 0, "minutes": 0}] * 30_000  # ~2 MB
    response = device_client(verified_user).post("/api/v1/sync", {"days": days}, format="json")
    assert response.status_code == 400
    body = contract_error(response)
    assert body["errorsOmitted"] > 0
    assert len(response.content) < 16_384


@pytest.mark.parametrize(
    "body",
    [
        {"privacy": {"leaderboard": {"global": "x" * 1_500_000}}},
        {"y" * 1_500_000: 1},
    ],
    ids=["a 1.5 MB value quoted back", "a 1.5 MB unknown key"],
)
def test_one_huge_value_in_a_body_is_not_repeated_back_whole(verified_user, device_client, body):
    response = device_client(verified_user).patch("/api/v1/me", body, format="json")
    assert response.status_code == 400
    assert contract_error(response)["code"] == "invalid"
    assert len(response.content) < 16_384
