"""Web pages for the account: devices, privacy, export, claim and deletion."""

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts import selectors, services
from accounts.api.serializers import DataExportStatusOutput
from accounts.api.throttles import SyncCodeThrottle
from accounts.export_links import export_status
from accounts.forms import ClaimForm, DeleteAccountForm, PrivacyForm
from accounts.views.common import slow_down, throttled
from breathmaster.api.errors import ApplicationError


def _devices_page(request: HttpRequest, **context) -> HttpResponse:
    devices = selectors.device_list(user=request.user)
    return render(request, "accounts/devices.html", {"devices": devices, **context})


@login_required
@require_GET
def devices(request: HttpRequest) -> HttpResponse:
    return _devices_page(request)


@login_required
@require_POST
def sync_code_create(request: HttpRequest) -> HttpResponse:
    wait = throttled(request, SyncCodeThrottle)
    if wait:
        return slow_down(request, "accounts/devices.html", wait, {})
    try:
        code, expires_at = services.sync_code_create(user=request.user)
    except ApplicationError as error:
        return _devices_page(request, error=error.detail)
    return _devices_page(request, sync_code=code, sync_code_expires_at=expires_at)


@login_required
@require_POST
def device_revoke(request: HttpRequest, device_id) -> HttpResponse:
    try:
        services.device_revoke(user=request.user, device_id=device_id)
    except ApplicationError:
        raise Http404 from None
    messages.success(request, "That device is signed out.")
    return redirect("devices")


@login_required
def privacy(request: HttpRequest) -> HttpResponse:
    form = PrivacyForm.for_user(request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_profile_update(user=request.user, changes=form.cleaned_data)
        messages.success(request, "Your privacy settings are saved.")
        return redirect("privacy")
    return render(request, "accounts/privacy.html", {"form": form})


@login_required
@require_POST
def export_start(request: HttpRequest) -> JsonResponse:
    export = services.data_export_request(user=request.user)
    status_url = reverse("export_status", kwargs={"export_id": export.pk})
    return JsonResponse({"exportId": str(export.pk), "statusUrl": status_url}, status=202)


@login_required
@require_GET
def export_status_view(request: HttpRequest, export_id) -> JsonResponse:
    export = selectors.data_export_get(user=request.user, export_id=export_id)
    if export is None:
        return JsonResponse({"code": "not_found", "detail": "Nothing is here."}, status=404)
    return JsonResponse(DataExportStatusOutput(export_status(request, export)).data)


@login_required
def claim(request: HttpRequest) -> HttpResponse:
    """ "Keep your account: add an email" for an account that started anonymous."""
    if not request.user.is_anonymous_account:
        messages.info(request, "This account already has an email.")
        return redirect("privacy")
    form = ClaimForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_claim_with_email(
                user=request.user,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                request=request,
            )
        except ApplicationError as error:
            form.add_error("email", error.detail)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(
                request,
                "Thank you. We sent you a link: your email counts once you confirm it.",
            )
            return redirect("privacy")
    return render(request, "accounts/claim.html", {"form": form})


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "accounts/delete.html", {"form": form})
    deletion, restore_code = services.user_deletion_schedule(user=request.user)
    logout(request)
    context = {"scheduled_for": deletion.scheduled_for, "restore_code": restore_code}
    return render(request, "accounts/deleted.html", context)
