"""Input and output shapes of the billing API, camelCase written out field by field."""

from rest_framework import serializers

from billing.plans import CURRENCY
from breathmaster.api.fields import StrictSerializer


class PlanOutput(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    priceCents = serializers.IntegerField(source="price_cents")
    currency = serializers.SerializerMethodField()
    interval = serializers.CharField(allow_null=True)
    trialDays = serializers.IntegerField(source="trial_days")
    features = serializers.DictField(child=serializers.BooleanField())
    limits = serializers.DictField(child=serializers.IntegerField(allow_null=True))

    def get_currency(self, plan) -> str:
        return CURRENCY


class PlanListOutput(serializers.Serializer):
    results = PlanOutput(many=True)


class CheckoutInput(StrictSerializer):
    # Checked against billing/plans.py by the service, so an unknown plan gets its own code.
    plan = serializers.CharField(max_length=40)


class OfferDismissInput(StrictSerializer):
    offer = serializers.CharField(max_length=40)


class RedirectOutput(serializers.Serializer):
    url = serializers.URLField()


class ErrorOutput(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
