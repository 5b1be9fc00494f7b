"""The social API: one view per operation, each validating, calling one service or selector,
and shaping the answer."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors as accounts_selectors
from social import selectors, services
from social.api import serializers as s
from social.api.throttles import FriendRequestThrottle
from social.selectors.boards import PAGE_SIZE, cursor_decode, cursor_encode


def _query(serializer_class, request):
    data = serializer_class(data=request.query_params.dict())
    data.is_valid(raise_exception=True)
    return data.validated_data


def _body(serializer_class, request):
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


def _page(items: list, cursor: str | None) -> tuple[list, str | None]:
    offset = cursor_decode(cursor)
    page = items[offset : offset + PAGE_SIZE]
    more = offset + PAGE_SIZE < len(items)
    return page, cursor_encode(offset + PAGE_SIZE) if more else None


CURSOR = OpenApiParameter("cursor", str, required=False)


class FriendListApi(APIView):
    @extend_schema(parameters=[CURSOR], responses={200: s.FriendListOutput})
    def get(self, request):
        query = _query(s.PageQuery, request)
        friends, next_cursor = _page(selectors.friend_list(user=request.user), query.get("cursor"))
        return Response(s.FriendListOutput({"results": friends, "next": next_cursor}).data)


def _request_row(request, other) -> dict:
    return {"id": request.pk, "display_name": other.display_name, "created_at": request.created_at}


class FriendRequestsApi(APIView):
    def get_throttles(self):
        return [FriendRequestThrottle()] if self.request.method == "POST" else []

    @extend_schema(responses={200: s.FriendRequestsOutput})
    def get(self, request):
        incoming = selectors.friend_requests_received(user=request.user)
        outgoing = selectors.friend_requests_sent(user=request.user)
        body = {
            "incoming": [_request_row(r, r.from_user) for r in incoming],
            "outgoing": [_request_row(r, r.to_user) for r in outgoing],
        }
        return Response(s.FriendRequestsOutput(body).data)

    @extend_schema(request=s.FriendRequestInput, responses={201: s.FriendRequestStatusOutput})
    def post(self, request):
        data = _body(s.FriendRequestInput, request)
        sent = services.friend_request_send(from_user=request.user, **data)
        body = s.FriendRequestStatusOutput(sent).data
        return Response(body, status=status.HTTP_201_CREATED)


def _received_request(request, request_id):
    found = selectors.friend_request_for(request_id=request_id, user=request.user)
    if found is None:
        raise NotFound()
    return found


class FriendRequestAcceptApi(APIView):
    @extend_schema(request=None, responses={200: s.FriendRequestStatusOutput})
    def post(self, request, request_id):
        answered = services.friend_request_accept(
            request=_received_request(request, request_id), by=request.user
        )
        return Response(s.FriendRequestStatusOutput(answered).data)


class FriendRequestDeclineApi(APIView):
    @extend_schema(request=None, responses={200: s.FriendRequestStatusOutput})
    def post(self, request, request_id):
        answered = services.friend_request_decline(
            request=_received_request(request, request_id), by=request.user
        )
        return Response(s.FriendRequestStatusOutput(answered).data)


class FriendRemoveApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, user_id):
        friend = accounts_selectors.user_get_active(user_id=user_id)
        services.friendship_end(user=request.user, friend=friend)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FriendBlockApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request, user_id):
        other = accounts_selectors.user_get_active(user_id=user_id)
        services.user_block(user=request.user, blocked=other)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LeaderboardApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, enum=["day", "week", "month", "all"], required=False),
            CURSOR,
        ],
        responses={200: s.LeaderboardOutput},
    )
    def get(self, request, scope):
        query = _query(s.LeaderboardQuery, request)
        page = selectors.leaderboard_page(
            scope=scope, period=query["period"], viewer=request.user, cursor=query.get("cursor")
        )
        return Response(_board_body(page))


def _board_body(page) -> dict:
    """`LeaderboardOutput`'s shape, written out: through DRF's fields, 50 rows cost about a
    quarter of the request's CPU (profiled), and boards are read often."""
    entries = [
        {
            "rank": entry["rank"],
            "displayName": entry["display_name"],
            "avatarUrl": entry["avatar_url"],
            "xp": entry["xp"],
            "streak": entry["streak"],
            "minutes": entry["minutes"],
        }
        for entry in page.entries
    ]
    return {
        "period": page.period,
        "scope": page.scope,
        "entries": entries,
        "me": page.me,
        "next": page.next,
    }
