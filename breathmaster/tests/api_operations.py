"""The API's operations as our own OpenAPI schema lists them, for tests that must cover every one.

Read from /api/schema/ in-process, so an endpoint a teammate routes tomorrow is covered by these
tests without anyone touching them.
"""

import json
import uuid
from dataclasses import dataclass, field

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
    # The JSON body's schema as written (it may hold $refs: see `resolve`).
    request_schema: dict = field(default_factory=dict, compare=False)

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


def generated_schema() -> dict:
    """The same schema without a request, for parametrizing tests while they are collected."""
    from drf_spectacular.generators import SchemaGenerator

    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))


def api_operations(schema: dict | None = None) -> list[Operation]:
    operations = []
    for path, item in (schema or api_schema())["paths"].items():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method not in METHODS:
                continue
            parameters = shared + operation.get("parameters", [])
            content = operation.get("requestBody", {}).get("content", {})
            request_schema = content.get("application/json", {}).get("schema", {})
            operations.append(
                Operation(
                    method=method,
                    path=path,
                    url=_url(path, parameters),
                    has_path_params=any(p["in"] == "path" for p in parameters),
                    takes_json="application/json" in content,
                    tokenless={} in operation.get("security", [{"deviceToken": []}]),
                    query_params=frozenset(p["name"] for p in parameters if p["in"] == "query"),
                    request_schema=request_schema,
                )
            )
    return operations


def json_operations(schema: dict | None = None) -> list[Operation]:
    return [operation for operation in api_operations(schema) if operation.takes_json]


def resolve(schema: dict, components: dict) -> dict:
    """A schema with its `$ref` (and a single-item `allOf`, drf-spectacular's way) followed."""
    while True:
        if "$ref" in schema:
            schema = components[schema["$ref"].rsplit("/", 1)[-1]]
        elif len(schema.get("allOf", [])) == 1:
            schema = schema["allOf"][0]
        else:
            return schema
