"""Cursor pagination for every list: `{"results": [...], "next": "<cursor>|null"}`.

A cursor is ours only: it is signed, so a crafted one (`p=2026`, garbage, an edited real one) is
`400 {code: "invalid_cursor"}` before any of it reaches a query.
"""

import binascii
from base64 import urlsafe_b64decode, urlsafe_b64encode
from urllib.parse import parse_qs, urlencode, urlparse

from django.core import signing
from rest_framework import pagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from breathmaster.api.errors import ApplicationError


def invalid_cursor_error() -> ApplicationError:
    return ApplicationError(
        "That page link is not one we made, or it belongs to another list. "
        "Start again from the first page.",
        code="invalid_cursor",
    )


class CursorPagination(pagination.CursorPagination):
    """The client passes `next` back as `?cursor=`; lists without a cursor start at the top."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "pageSize"
    ordering = "-created_at"

    def _signer(self) -> signing.Signer:
        # One list's cursor does not open another list ordered differently.
        ordering = self.ordering if isinstance(self.ordering, str) else ",".join(self.ordering)
        return signing.Signer(salt=f"breathmaster.cursor:{ordering}")

    def encode_cursor(self, cursor):
        tokens = {}
        if cursor.offset != 0:
            tokens["o"] = str(cursor.offset)
        if cursor.reverse:
            tokens["r"] = "1"
        if cursor.position is not None:
            tokens["p"] = cursor.position
        signed = self._signer().sign(urlencode(tokens))
        encoded = urlsafe_b64encode(signed.encode()).decode("ascii").rstrip("=")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return None
        try:
            padded = encoded + "=" * (-len(encoded) % 4)
            signed = urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
            tokens = parse_qs(self._signer().unsign(signed), keep_blank_values=True)
            offset = int(tokens.get("o", ["0"])[0])
            reverse = tokens.get("r", ["0"])[0] == "1"
        except (ValueError, binascii.Error, signing.BadSignature):
            raise invalid_cursor_error() from None
        position = tokens.get("p", [None])[0]
        return pagination.Cursor(offset=offset, reverse=reverse, position=position)

    def get_paginated_response(self, data):
        return Response({"results": data, "next": self.next_cursor()})

    def next_cursor(self) -> str | None:
        url = self.get_next_link()
        if url is None:
            return None
        return parse_qs(urlparse(url).query)[self.cursor_query_param][0]

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results", "next"],
            "properties": {
                "results": schema,
                "next": {"type": "string", "nullable": True},
            },
        }
