"""The API's operations as our own OpenAPI schema lists them, for tests that must cover every one.

Read from /api/schema/ in-process, so an endpoint a teammate routes tomorrow is covered by these
tests without anyone touching them.
"""

import uuid
from dataclasses import dataclass

from django.test import Client

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    url: str
    has_path_params: bool
    takes_json: bool
    tokenless: bool
    query_params: frozenset[str]

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


def _placeholder(parameter: dict) -> str:
    schema = parameter.get("schema", {})
    if schema.get("type") == "integer":
        return "1"
    if schema.get("format") == "uuid":
        return str(uuid.uuid4())
    return "global" if parameter["name"] == "scope" else "x"


def _url(path: str, parameters: list[dict]) -> str:
    for parameter in parameters:
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", _placeholder(parameter))
    return path


def api_schema() -> dict:
    answer = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert answer.status_code == 200
    return answer.json()


def api_operations() -> list[Operation]:
    operations = []
    for path, item in api_schema()["paths"].items():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method not in METHODS:
                continue
            parameters = shared + operation.get("parameters", [])
            content = operation.get("requestBody", {}).get("content", {})
            operations.append(
                Operation(
                    method=method,
                    path=path,
                    url=_url(path, parameters),
                    has_path_params=any(p["in"] == "path" for p in parameters),
                    takes_json="application/json" in content,
                    tokenless={} in operation.get("security", [{"deviceToken": []}]),
                    query_params=frozenset(p["name"] for p in parameters if p["in"] == "query"),
                )
            )
    return operations


def json_operations() -> list[Operation]:
    return [operation for operation in api_operations() if operation.takes_json]
