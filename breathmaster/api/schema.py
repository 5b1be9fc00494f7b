"""OpenAPI post-processing: every operation documents the contract's error shape."""

ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "detail"],
    "properties": {
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "additionalProperties": True,
}

COMMON_ERRORS = {
    "400": "The request was not valid.",
    "401": "No valid device token.",
    "403": "The account cannot do this.",
    "404": "Not found, or not visible to this account.",
    "405": "Method not allowed.",
    "406": "Not acceptable.",
    "413": "The request body is too large.",
    "415": "Unsupported media type.",
    "429": "Too many requests; see Retry-After.",
}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status_code, description in COMMON_ERRORS.items():
                responses.setdefault(
                    status_code,
                    {"description": description, "content": {"application/json": {"schema": ref}}},
                )
    return result
