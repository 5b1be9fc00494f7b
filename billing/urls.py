from django.urls import path

from billing import views

urlpatterns = [
    path("billing/", views.billing, name="billing"),
    path("billing/plans/", views.plans, name="billing_plans"),
    path("billing/checkout/", views.checkout, name="billing_checkout"),
    path("billing/portal/", views.portal, name="billing_portal"),
    path("billing/offer/dismiss/", views.offer_dismiss, name="billing_offer_dismiss"),
    path("billing/stripe/webhook/", views.stripe_webhook, name="billing_stripe_webhook"),
]
