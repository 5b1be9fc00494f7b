"""The challenges API: one view per operation."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors as accounts_selectors
from social import selectors, services
from social.api import serializers as s
from social.api.throttles import ReportThrottle
from social.api.views import CURSOR, _body, _query
from social.selectors.boards import cursor_decode, cursor_encode


def _summary(challenge, user) -> dict:
    return s.ChallengeOutput(selectors.challenge_summary(challenge=challenge, viewer=user)).data


def _visible(request, challenge_id):
    selectors.sync_required(user=request.user)
    challenge = selectors.challenge_visible(challenge_id=challenge_id, user=request.user)
    if challenge is None:
        raise NotFound()
    return challenge


class ChallengeListApi(APIView):
    @extend_schema(
        operation_id="challenges_list",
        parameters=[
            OpenApiParameter(
                "type", str, enum=["global", "friends", "company", "custom"], required=False
            ),
            OpenApiParameter("status", str, enum=["active", "ended"], required=False),
            OpenApiParameter("joined", bool, required=False),
            CURSOR,
        ],
        responses={200: s.ChallengeListOutput},
    )
    def get(self, request):
        query = _query(s.ChallengeListQuery, request)
        selectors.sync_required(user=request.user)
        challenges = selectors.challenge_list(
            user=request.user,
            type=query.get("type"),
            status=query.get("status"),
            joined=query["joined"],
        )
        offset = cursor_decode(query.get("cursor"))
        page = list(challenges[offset : offset + 51])
        next_cursor = cursor_encode(offset + 50) if len(page) > 50 else None
        results = [_summary(challenge, request.user) for challenge in page[:50]]
        return Response({"results": results, "next": next_cursor})

    @extend_schema(request=s.ChallengeCreateInput, responses={201: s.ChallengeOutput})
    def post(self, request):
        data = _body(s.ChallengeCreateInput, request)
        goal = data.pop("goal")
        challenge = services.challenge_create_by_user(
            user=request.user,
            description=data.pop("description", ""),
            goal_metric=goal["metric"],
            goal_target=goal["target"],
            duration_days=goal["duration_days"],
            **data,
        )
        return Response(_summary(challenge, request.user), status=status.HTTP_201_CREATED)


class ChallengeDetailApi(APIView):
    @extend_schema(responses={200: s.ChallengeOutput})
    def get(self, request, challenge_id):
        return Response(_summary(_visible(request, challenge_id), request.user))


class ChallengeJoinApi(APIView):
    @extend_schema(request=None, responses={200: s.ChallengeOutput})
    def post(self, request, challenge_id):
        challenge = _visible(request, challenge_id)
        services.challenge_join(challenge=challenge, user=request.user)
        return Response(_summary(challenge, request.user))


class ChallengeLeaveApi(APIView):
    @extend_schema(request=None, responses={200: s.ChallengeOutput})
    def post(self, request, challenge_id):
        challenge = _visible(request, challenge_id)
        services.challenge_leave(challenge=challenge, user=request.user)
        return Response(_summary(challenge, request.user))


class ChallengeLeaderboardApi(APIView):
    @extend_schema(parameters=[CURSOR], responses={200: s.ChallengeBoardOutput})
    def get(self, request, challenge_id):
        query = _query(s.PageQuery, request)
        challenge = _visible(request, challenge_id)
        offset = cursor_decode(query.get("cursor"))
        rows, more = selectors.challenge_board(
            challenge=challenge, viewer=request.user, offset=offset
        )
        next_cursor = cursor_encode(offset + 50) if more else None
        return Response(s.ChallengeBoardOutput({"results": rows, "next": next_cursor}).data)


class ChallengeCheerApi(APIView):
    @extend_schema(request=s.CheerInput, responses={201: None})
    def post(self, request, challenge_id):
        data = _body(s.CheerInput, request)
        challenge = _visible(request, challenge_id)
        services.cheer_send(challenge=challenge, from_user=request.user, to_user_id=data["user_id"])
        return Response(status=status.HTTP_201_CREATED)


class ChallengeReportApi(APIView):
    throttle_classes = [ReportThrottle]

    @extend_schema(request=s.ReportInput, responses={202: None})
    def post(self, request, challenge_id):
        data = _body(s.ReportInput, request)
        challenge = _visible(request, challenge_id)
        services.challenge_report(challenge=challenge, reporter=request.user, **data)
        return Response(status=status.HTTP_202_ACCEPTED)


class DisplayNameReportApi(APIView):
    """Report a name one can see (a friend's, or a named participant's); always `202`."""

    throttle_classes = [ReportThrottle]

    @extend_schema(request=s.DisplayNameReportInput, responses={202: None})
    def post(self, request):
        data = _body(s.DisplayNameReportInput, request)
        reported = accounts_selectors.user_get_active(user_id=data["user_id"])
        # Stored only for someone whose name the reporter could see; the answer is the same,
        # so a report cannot be used to find out who exists.
        if reported is not None and selectors.name_visible_to(user=reported, viewer=request.user):
            services.display_name_report(
                reported=reported,
                reporter=request.user,
                shown_as=reported.display_name,
                reason=data["reason"],
            )
        return Response(status=status.HTTP_202_ACCEPTED)
