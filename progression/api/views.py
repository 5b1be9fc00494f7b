"""The sync API (CONTRACT.md "Sync"): thin doors onto progression's services and selectors."""

import hashlib
import json

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from progression import selectors, services
from progression.api import serializers as s


class SyncApplyApi(APIView):
    @extend_schema(
        operation_id="sync_apply",
        request=s.SyncInputSerializer,
        responses={200: s.SyncOutputSerializer},
        description="Send this device's own per-day counters, baseline, sets and preferences; "
        "every part is optional. Answers the canonical state.",
    )
    def post(self, request):
        # Checked as SyncInputSerializer declares, without building it (the hot path).
        payload = s.sync_payload_from(request.data)
        return Response(services.sync_apply(device=request.auth, payload=payload))


class SyncImportApi(APIView):
    @extend_schema(
        operation_id="sync_import",
        request=s.ImportInputSerializer,
        responses={200: s.SyncOutputSerializer},
        description="Import the extension's `Export Data` envelope as it is. Importing the "
        "same sessions again, from any device of the account, changes nothing.",
    )
    def post(self, request):
        s.ImportInputSerializer(data=request.data).is_valid(raise_exception=True)
        return Response(services.sync_import(device=request.auth, export=request.data))


def _etag(answer: dict) -> str:
    body = json.dumps(answer, sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


def _etag_matches(header: str, etag: str) -> bool:
    candidates = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in candidates or etag in candidates


class SyncStateApi(APIView):
    @extend_schema(
        operation_id="sync_state",
        responses={200: s.SyncOutputSerializer, 304: None},
        parameters=[OpenApiParameter("If-None-Match", str, OpenApiParameter.HEADER)],
    )
    def get(self, request):
        answer = selectors.sync_state_for(user=request.user)
        etag = _etag(answer)
        if _etag_matches(request.headers.get("If-None-Match", ""), etag):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(answer, headers={"ETag": etag, "Cache-Control": "private, no-cache"})


class SyncEligibilityApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="sync_eligibility",
        request=s.EligibilityInputSerializer,
        responses={200: s.EligibilityOutputSerializer},
        auth=[{}, {"deviceToken": []}],
        description="Judge the invitation's rules on the numbers given. Account age counts "
        "from firstSeenDate to today (the account's timezone when a token is sent, else UTC).",
    )
    def post(self, request):
        serializer = s.EligibilityInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        answer = selectors.eligibility_for_numbers(
            user=request.user if request.user.is_authenticated else None,
            total_xp=data["totalXP"],
            total_sessions=data["totalSessions"],
            current_streak=data["currentStreak"],
            first_seen=data["firstSeenDate"],
        )
        return Response(answer)


class SyncEnableApi(APIView):
    @extend_schema(
        operation_id="sync_enable",
        request=None,
        responses={200: s.EnableOutputSerializer},
        description="Unlock the cloud features when the server's own derived state meets the "
        "rules; 403 {code: not_eligible, nextRequirement} otherwise.",
    )
    def post(self, request):
        enabled_at = services.sync_enable(user=request.user)
        return Response({"syncEnabled": True, "enabledAt": selectors.iso(enabled_at)})


class StatsSeriesApi(APIView):
    @extend_schema(
        operation_id="stats_series",
        parameters=[s.StatsInputSerializer],
        responses={200: s.StatsOutputSerializer},
        description="Synced days per day, week or month, as far back as the plan's history "
        "(analyticsHistoryDays) reaches.",
    )
    def get(self, request):
        serializer = s.StatsInputSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        period = serializer.validated_data["period"]
        return Response(selectors.stats_series(user=request.user, period=period))
