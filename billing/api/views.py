"""The billing API: one view per operation, each validating, calling one service or selector,
and shaping the answer."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from billing import selectors, services
from billing.api import serializers as s

UNAVAILABLE = OpenApiResponse(
    response=s.ErrorOutput, description="Payments are not set up (`billing_unavailable`)."
)


class PlanListApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(responses={200: s.PlanListOutput}, auth=[])
    def get(self, request):
        return Response(s.PlanListOutput({"results": selectors.plan_list()}).data)


class CheckoutCreateApi(APIView):
    @extend_schema(request=s.CheckoutInput, responses={201: s.RedirectOutput, 503: UNAVAILABLE})
    def post(self, request):
        data = s.CheckoutInput(data=request.data)
        data.is_valid(raise_exception=True)
        url = services.checkout_start(user=request.user, plan_key=data.validated_data["plan"])
        return Response(s.RedirectOutput({"url": url}).data, status=status.HTTP_201_CREATED)


class PortalCreateApi(APIView):
    @extend_schema(request=None, responses={201: s.RedirectOutput, 503: UNAVAILABLE})
    def post(self, request):
        url = services.portal_start(user=request.user)
        return Response(s.RedirectOutput({"url": url}).data, status=status.HTTP_201_CREATED)


class OfferDismissApi(APIView):
    @extend_schema(request=s.OfferDismissInput, responses={204: None})
    def post(self, request):
        data = s.OfferDismissInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.offer_dismiss(user=request.user, offer=data.validated_data["offer"])
        return Response(status=status.HTTP_204_NO_CONTENT)
