"""The JSON parser of every API endpoint: any body that is not plain, reasonable JSON is
`400 {code: "invalid_json"}`, and nothing a client sends can make it recurse deeply.

Python's `json` module recurses once per nesting level, so 1,000 nested arrays (2 kB) end in a
RecursionError. The depth is therefore measured first, without recursion, on the body's
brackets outside strings; only a body within the bound is handed to `json.loads`.
"""

import json
import re
from itertools import accumulate

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

# Far deeper than anything the extension sends (its export envelope is about six levels).
MAX_DEPTH = 64

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(code for code in range(256) if chr(code) not in "[]{}")
# Each bracket's step in depth, by byte value (C-speed with map + accumulate).
_STEP = [0] * 256
_STEP[ord("[")] = _STEP[ord("{")] = 1
_STEP[ord("]")] = _STEP[ord("}")] = -1


class InvalidJson(ParseError):
    default_detail = "The request body is not valid JSON."
    default_code = "invalid_json"


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text`, strings left out, without recursion."""
    openers = text.count("[") + text.count("{")
    if openers <= MAX_DEPTH:
        return openers  # no deeper than its count of openers: no scan (the common case)
    return scanned_depth(text)


def scanned_depth(text: str) -> int:
    """The exact depth, from the brackets outside strings, in C-speed steps."""
    brackets = _outside_strings(text).encode().translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def _outside_strings(text: str) -> str:
    """The text with its JSON strings cut out, as the JSON scanner reads them."""
    if "\\" not in text:
        # Without escapes a string ends at the next quote: every other piece is outside.
        return "".join(text.split('"')[::2])
    return _STRING.sub("", text)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def json_loads(text: str):
    """Parse one JSON document, refusing what is deeper than MAX_DEPTH (ValueError)."""
    if json_depth(text) > MAX_DEPTH:
        raise ValueError("nested too deeply")
    return json.loads(text, parse_constant=_refuse_constant)


class JSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", "utf-8")
        body = _read_bounded(stream)
        try:
            return json_loads(body.decode(encoding))
        except (ValueError, UnicodeDecodeError, RecursionError) as error:
            # RecursionError cannot happen within the bound; caught so it never becomes a 500.
            raise InvalidJson() from error


def _read_bounded(stream) -> bytes:
    """The body, refused (413) past Django's DATA_UPLOAD_MAX_MEMORY_SIZE, which DRF's stream
    would otherwise read whole whatever its size."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return stream.read()
    body = stream.read(limit + 1)
    if len(body) > limit:
        raise RequestDataTooBig("The request body is too large.")
    return body
