"""Web pages for plans and billing, the form posts behind their buttons, and Stripe's webhook."""

import logging

import stripe
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from billing import gateway, selectors, services
from billing.plans import CURRENCY
from breathmaster.api.errors import ApplicationError

logger = logging.getLogger(__name__)


@require_GET
def plans(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated
    current = selectors.plan_for(user=request.user) if signed_in else None
    context = {
        "plans": selectors.plan_list(),
        "current": current,
        "currency": CURRENCY.upper(),
        "payments_ready": gateway.stripe_enabled(),
        "trial_available": selectors.trial_available(user=request.user) if signed_in else True,
    }
    return render(request, "billing/plans.html", context)


@login_required
@require_GET
def billing(request: HttpRequest) -> HttpResponse:
    session_id = request.GET.get("session_id", "").strip()
    if session_id and gateway.stripe_enabled():
        _checkout_returned(request, session_id)
        return redirect("billing")
    if request.GET.get("checkout") == "cancelled":
        messages.info(request, "Checkout was closed before paying. Nothing was charged.")
    user = request.user
    plan = selectors.plan_for(user=user)
    context = {
        "plan": plan,
        "status": selectors.billing_status(user=user),
        "subscription": selectors.subscription_live(user=user),
        "customer": selectors.customer_for(user=user),
        "payments_ready": gateway.stripe_enabled(),
        "invoices": selectors.invoices_for(user=user),
        "offer": selectors.offer_shown(user=user, tier=plan.key),
    }
    return render(request, "billing/billing.html", context)


def _checkout_returned(request: HttpRequest, session_id: str) -> None:
    try:
        services.checkout_return(user=request.user, session_id=session_id)
    except ApplicationError as error:
        messages.error(request, error.detail)
        return
    messages.success(request, "Thank you. Your plan is ready.")


@login_required
@require_POST
def checkout(request: HttpRequest) -> HttpResponse:
    try:
        url = services.checkout_start(user=request.user, plan_key=request.POST.get("plan", ""))
    except ApplicationError as error:
        messages.error(request, error.detail)
        return redirect("billing_plans")
    return redirect(url)


@login_required
@require_POST
def portal(request: HttpRequest) -> HttpResponse:
    try:
        url = services.portal_start(user=request.user)
    except ApplicationError as error:
        messages.error(request, error.detail)
        return redirect("billing")
    return redirect(url)


@login_required
@require_POST
def offer_dismiss(request: HttpRequest) -> HttpResponse:
    try:
        services.offer_dismiss(user=request.user, offer=request.POST.get("offer", ""))
    except ApplicationError as error:
        messages.error(request, error.detail)
    # Back to the page the offer was on (the dashboard or billing), never to another site.
    back = request.POST.get("next") or request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("billing")


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    """Stripe's events: 400 for a bad signature, 200 once taken or ignored, 5xx to be retried."""
    try:
        event = services.webhook_event_verify(
            payload=request.body, signature=request.headers.get("Stripe-Signature")
        )
        outcome = services.webhook_event_receive(event=event)
    except ApplicationError as error:
        return JsonResponse({"code": error.code, "detail": error.detail}, status=error.status_code)
    except (stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError):
        logger.exception("Stripe could not be asked about an event; Stripe will send it again")
        return JsonResponse(
            {"code": "retry_later", "detail": "Stripe could not be reached. Please retry."},
            status=503,
        )
    return JsonResponse({"received": True, "outcome": outcome})
