"""`/link/`: a browser joins the account of a sync code, then a short, calm onboarding.

1. `GET /link/?code=` shows what will happen, what syncs and what stays local, and a button.
   It uses nothing up: link previews and prefetchers must not burn a code, and a page on
   another site must not switch a browser's account.
2. `POST /link/` (CSRF-protected, the code in the form) uses the code and signs the browser in.
   A browser signed in to another account is asked first; a second POST confirms the switch.
3. `/link/welcome/`: stay anonymous or pick a display name, and the leaderboard choice.
4. `/link/ready/`: where to go next.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.api.throttles import SyncCodeRedeemThrottle
from accounts.forms import WelcomeForm
from accounts.views.common import SESSION_BACKEND, private, slow_down, throttled
from breathmaster.api.errors import ApplicationError

TEMPLATE = "accounts/link.html"
CONFIRM_SWITCH = "confirm"


@require_http_methods(["GET", "HEAD", "POST"])
def link_browser(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _link_post(request)
    code = request.GET.get("code", "").strip()[:64]
    return private(render(request, TEMPLATE, {"code": code}))


def _link_post(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("code", "").strip()[:64]
    wait = throttled(request, SyncCodeRedeemThrottle)
    if wait:
        return private(slow_down(request, TEMPLATE, wait, {"code": code}))
    if request.user.is_authenticated:
        answer = _before_switching(request, code)
        if answer is not None:
            return answer
    try:
        user = services.sync_code_claim(code=code)
    except ApplicationError as error:
        context = {"code": code, "error": error.detail}
        return private(render(request, TEMPLATE, context, status=400))
    login(request, user, backend=SESSION_BACKEND)  # a different user: the old session is flushed
    messages.success(request, "This browser is linked to your account.")
    return redirect("link_welcome")


def _before_switching(request: HttpRequest, code: str) -> HttpResponse | None:
    """A signed-in browser: nothing to do for its own account's code, and a question before it
    leaves its account for another one (unless this POST is the confirmation)."""
    owner = services.sync_code_owner(code=code)
    if owner is None:
        return None  # not a usable code: the claim below explains
    if owner.pk == request.user.pk:
        messages.info(request, "This browser is already linked to this account.")
        return redirect("dashboard")
    if request.POST.get("switch") != CONFIRM_SWITCH:
        return private(render(request, TEMPLATE, {"code": code, "confirm_switch": True}))
    return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def link_welcome(request: HttpRequest) -> HttpResponse:
    """Anonymous or a display name, and whether to appear on the leaderboard (closed by default)."""
    form = WelcomeForm.for_user(request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_profile_update(user=request.user, changes=form.changes())
        except ApplicationError as error:
            for field, problems in (error.errors or {}).items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            return redirect("link_ready")
    return render(request, "accounts/link_welcome.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD"])
def link_ready(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/link_ready.html")
