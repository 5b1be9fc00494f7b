from django.urls import path

from billing.api import views

urlpatterns = [
    path("billing/plans", views.PlanListApi.as_view(), name="api-billing-plans"),
    path("billing/checkout", views.CheckoutCreateApi.as_view(), name="api-billing-checkout"),
    path("billing/portal", views.PortalCreateApi.as_view(), name="api-billing-portal"),
    path(
        "billing/offer/dismiss", views.OfferDismissApi.as_view(), name="api-billing-offer-dismiss"
    ),
]
