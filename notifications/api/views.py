"""The notifications API: one view per operation, each validating, calling one service or
selector, and shaping the answer."""

from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from breathmaster.api.errors import ApplicationError
from breathmaster.api.pagination import CursorPagination
from notifications import selectors, services
from notifications.api import serializers as s


class PreferencesApi(APIView):
    @extend_schema(responses={200: s.PreferencesOutput})
    def get(self, request):
        preference = selectors.preference_for(user=request.user)
        return Response(selectors.preference_document(preference=preference))

    @extend_schema(request=s.PreferencesInput, responses={200: s.PreferencesOutput})
    def patch(self, request):
        if not isinstance(request.data, dict):
            raise ApplicationError(
                'Send an object such as {"email": {"enabled": true}}.', code="invalid"
            )
        preference = services.preference_update(user=request.user, changes=request.data)
        return Response(selectors.preference_document(preference=preference))


class FeedPagination(CursorPagination):
    """The feed's page, with the unread count beside it: `{results, next, unread}`."""

    ordering = ("-created_at", "-id")
    unread = 0

    def get_paginated_response(self, data):
        return Response({"results": data, "next": self.next_cursor(), "unread": self.unread})

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["required"].append("unread")
        answer["properties"]["unread"] = {"type": "integer"}
        return answer


class NotificationListApi(ListAPIView):
    serializer_class = s.NotificationOutput
    pagination_class = FeedPagination

    def get_queryset(self):
        return selectors.feed_for(user=self.request.user)

    def list(self, request, *args, **kwargs):
        self.paginator.unread = selectors.unread_count(user=request.user)
        return super().list(request, *args, **kwargs)


class NotificationReadApi(APIView):
    @extend_schema(request=None, responses={200: s.NotificationOutput})
    def post(self, request, notification_id):
        item = services.notification_read(user=request.user, notification_id=notification_id)
        return Response(s.NotificationOutput(item).data)


class NotificationReadAllApi(APIView):
    @extend_schema(request=None, responses={200: s.ReadAllOutput})
    def post(self, request):
        marked = services.notifications_read_all(user=request.user)
        return Response({"marked": marked, "unread": selectors.unread_count(user=request.user)})
