"""Web pages for the account: devices, privacy, export, claim and deletion."""

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import selectors, services
from accounts.api.throttles import ClaimThrottle, SyncCodeThrottle
from accounts.export_links import export_status
from accounts.forms import ClaimForm, DeleteAccountForm, PrivacyForm
from accounts.views.common import private, slow_down, throttled
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


def _privacy_page(request: HttpRequest, form: PrivacyForm, status: int = 200, **context):
    return render(request, "accounts/privacy.html", {"form": form, **context}, status=status)


@login_required
def privacy(request: HttpRequest) -> HttpResponse:
    form = PrivacyForm.for_user(request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_profile_update(user=request.user, changes=form.cleaned_data)
        messages.success(request, "Your privacy settings are saved.")
        return redirect("privacy")
    return _privacy_page(request, form)


@login_required
@require_POST
def export_start(request: HttpRequest) -> HttpResponse:
    """Start an export (or find the running one) and show its page; works without JavaScript."""
    try:
        export = services.data_export_request(user=request.user)
    except ApplicationError as error:
        form = PrivacyForm.for_user(request.user)
        response = _privacy_page(request, form, error.status_code, export_error=error.detail)
        for header, value in error.headers.items():
            response[header] = value
        return response
    return redirect("export_status", export_id=export.pk)


@login_required
@require_GET
def export_status_view(request: HttpRequest, export_id) -> HttpResponse:
    """The export's page: it refreshes itself (a meta refresh, no script) until it is ready."""
    export = selectors.data_export_get(user=request.user, export_id=export_id)
    if export is None:
        raise Http404
    context = {"export": export, **export_status(request, export)}
    response = render(request, "accounts/export.html", context)
    response["Cache-Control"] = "private, no-store"  # the page holds a signed download link
    return response


CLAIM_CONFIRM = "accounts/claim_confirm.html"
CLAIM_SENT = (
    "Thank you. Please look in that inbox: the address is added once you confirm it from the "
    "message we sent."
)


@login_required
def claim(request: HttpRequest) -> HttpResponse:
    """ "Keep your account: add an email" for an account that started anonymous.

    The answer is the same whether or not the address is registered (allauth's sign-up does the
    same), and so is the account until the mailed link is followed; the tries are throttled per
    address.
    """
    if request.method == "POST":
        wait = throttled(request, ClaimThrottle)
        if wait:
            form = ClaimForm(user=request.user)
            return slow_down(request, "accounts/claim.html", wait, {"form": form})
    if not request.user.is_anonymous_account:
        messages.info(request, "This account already has an email.")
        return redirect("privacy")
    form = ClaimForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_claim_with_email(
            user=request.user,
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            request=request,
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, CLAIM_SENT)
        return redirect("privacy")
    return render(request, "accounts/claim.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def claim_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link mailed for a claim. A GET shows the address and a button (link previews and
    prefetchers must not confirm); the POST confirms. No sign-in: the mail is read anywhere."""
    try:
        if request.method != "POST":
            _, email = services.claim_link_read(token=token)
            return private(render(request, CLAIM_CONFIRM, {"email": email}))
        user = services.user_claim_confirm(token=token)
    except ApplicationError as error:
        return private(render(request, CLAIM_CONFIRM, {"error": error.detail}, status=400))
    if request.user.pk == user.pk:
        messages.success(request, f"Thank you: {user.email} is now your account's email.")
        return redirect("privacy")
    messages.success(request, f"Thank you: {user.email} is confirmed. You can sign in with it.")
    return redirect("account_login")


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "accounts/delete.html", {"form": form})
    deletion, restore_code = services.user_deletion_schedule(user=request.user)
    logout(request)
    context = {"scheduled_for": deletion.scheduled_for, "restore_code": restore_code}
    return render(request, "accounts/deleted.html", context)
