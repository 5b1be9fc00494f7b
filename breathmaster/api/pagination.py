from rest_framework import pagination
from rest_framework.response import Response


class CursorPagination(pagination.CursorPagination):
    """`{"results": [...], "next": "<cursor>|null"}`; the client passes `?cursor=` back."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "pageSize"
    ordering = "-created_at"

    def get_paginated_response(self, data):
        return Response({"results": data, "next": self.next_cursor()})

    def next_cursor(self) -> str | None:
        url = self.get_next_link()
        if url is None:
            return None
        from urllib.parse import parse_qs, urlparse

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
