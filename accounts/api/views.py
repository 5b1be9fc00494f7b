"""The accounts API: one view per operation, each validating, calling one service or selector,
and shaping the answer."""

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.api import serializers as s
from accounts.api.throttles import (
    AnonymousSignupThrottle,
    RestoreThrottle,
    SyncCodeRedeemThrottle,
    SyncCodeThrottle,
)
from accounts.export_links import (
    export_download_response,
    export_signature_valid,
    export_status,
)


def device_token_response(device, token) -> Response:
    body = s.DeviceTokenOutput({"token": token, "user_id": device.user_id, "id": device.pk}).data
    return Response(body, status=status.HTTP_201_CREATED)


class AnonymousAccountCreateApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonymousSignupThrottle]

    @extend_schema(request=s.DeviceNameInput, responses={201: s.DeviceTokenOutput})
    def post(self, request):
        data = s.DeviceNameInput(data=request.data)
        data.is_valid(raise_exception=True)
        device, token = services.user_anonymous_create(**data.validated_data)
        return device_token_response(device, token)


class SyncCodeCreateApi(APIView):
    throttle_classes = [SyncCodeThrottle]

    @extend_schema(request=None, responses={201: s.SyncCodeOutput})
    def post(self, request):
        code, expires_at = services.sync_code_create(user=request.user)
        body = s.SyncCodeOutput({"code": code, "expires_at": expires_at}).data
        return Response(body, status=status.HTTP_201_CREATED)


class SyncCodeRedeemApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [SyncCodeRedeemThrottle]

    @extend_schema(request=s.SyncCodeRedeemInput, responses={201: s.DeviceTokenOutput})
    def post(self, request):
        data = s.SyncCodeRedeemInput(data=request.data)
        data.is_valid(raise_exception=True)
        device, token = services.sync_code_redeem(**data.validated_data)
        return device_token_response(device, token)


class AccountRestoreApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [RestoreThrottle]

    @extend_schema(request=s.RestoreInput, responses={201: s.DeviceTokenOutput})
    def post(self, request):
        data = s.RestoreInput(data=request.data)
        data.is_valid(raise_exception=True)
        device, token = services.user_restore_with_code(**data.validated_data)
        return device_token_response(device, token)


class DeviceListApi(ListAPIView):
    serializer_class = s.DeviceOutput

    def get_queryset(self):
        return selectors.device_list(user=self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "current_device_id": self.request.auth.pk}


class DeviceRevokeApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request, device_id):
        services.device_revoke(user=request.user, device_id=device_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    """`GET` the profile, `PATCH` parts of it, `DELETE` the account (scheduled, undoable)."""

    @extend_schema(responses={200: s.MeOutput})
    def get(self, request):
        return Response(me_body(request.user))

    @extend_schema(request=s.MeUpdateInput, responses={200: s.MeOutput})
    def patch(self, request):
        data = s.MeUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.user_profile_update(user=request.user, changes=data.changes())
        return Response(me_body(request.user))

    @extend_schema(request=None, responses={202: s.DeletionScheduledOutput})
    def delete(self, request):
        deletion, code = services.user_deletion_schedule(user=request.user)
        body = s.DeletionScheduledOutput(
            {"scheduled_for": deletion.scheduled_for, "restore_code": code}
        ).data
        return Response(body, status=status.HTTP_202_ACCEPTED)


def me_body(user) -> dict:
    profile = selectors.user_me(user=user)
    body = s.MeOutput(profile).data
    # Sections other apps register beyond `eligibility` are passed through as they are.
    for name, value in profile["sections"].items():
        body.setdefault(name, value)
    return body


class DataExportCreateApi(APIView):
    @extend_schema(request=None, responses={202: s.DataExportCreatedOutput})
    def post(self, request):
        export = services.data_export_request(user=request.user)
        body = s.DataExportCreatedOutput(export).data
        return Response(body, status=status.HTTP_202_ACCEPTED)


class DataExportStatusApi(APIView):
    @extend_schema(responses={200: s.DataExportStatusOutput})
    def get(self, request, export_id):
        export = selectors.data_export_get(user=request.user, export_id=export_id)
        if export is None:
            raise NotFound()
        return Response(s.DataExportStatusOutput(export_status(request, export)).data)


class DataExportDownloadApi(APIView):
    """The export file: by its signed link, or with the owner's token. Never anyone else's."""

    permission_classes = [AllowAny]

    @extend_schema(responses={(200, "application/json"): dict})
    def get(self, request, export_id) -> HttpResponse:
        export = selectors.data_export_get_any(export_id=export_id)
        # An account scheduled for deletion has no export links left (its rows go at once too).
        if export is None or not export.is_downloadable or not export.user.is_active:
            raise NotFound()
        if request.user.is_authenticated:
            allowed = request.user.pk == export.user_id
        else:
            allowed = export_signature_valid(export, request.query_params.get("signature", ""))
        if not allowed:
            raise NotFound()
        return export_download_response(export)
