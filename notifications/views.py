"""Web pages: the feed behind the bell, the preferences page and one-click unsubscribe."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from breathmaster.api.errors import ApplicationError
from notifications import selectors, services
from notifications.forms import PreferencesForm
from notifications.models import EmailType
from notifications.services.mail import unsubscribe_read


@login_required
def feed(request: HttpRequest) -> HttpResponse:
    items = selectors.feed_for(user=request.user)[:50]
    return render(request, "notifications/feed.html", {"items": items})


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_read_all(user=request.user)
    return redirect("notifications:feed")


@login_required
@require_POST
def read_one(request: HttpRequest, notification_id) -> HttpResponse:
    try:
        services.notification_read(user=request.user, notification_id=notification_id)
    except ApplicationError:
        raise Http404 from None
    return redirect("notifications:feed")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    preference = selectors.preference_for(user=request.user)
    form = PreferencesForm.for_preference(preference, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_update(user=request.user, changes=form.changes())
        except ApplicationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "Your notification settings are saved.")
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


def _form_errors(form: PreferencesForm, error: ApplicationError) -> None:
    fields = {"timeOfDay": "time_of_day", "timezone": "timezone", "frequency": "frequency"}
    email_errors = (error.errors or {}).get("email")
    if isinstance(email_errors, dict):
        for name, problems in email_errors.items():
            if name in fields:
                form.add_error(fields[name], problems)
    if not form.errors:
        form.add_error(None, error.detail)


def _unsubscribe_target(token: str) -> tuple[str, str] | None:
    target = unsubscribe_read(token=token)
    if target is None or target[1] not in {*EmailType.values, services.UNSUBSCRIBE_ALL}:
        return None
    return target


def _what(email_type: str) -> str:
    if email_type == services.UNSUBSCRIBE_ALL:
        return "all email from Breath Master"
    return f"emails about {EmailType(email_type).label.lower()}"


@csrf_exempt  # RFC 8058: mail providers POST here with no session and no form of ours.
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks first (link scanners must not unsubscribe anyone); POST unsubscribes."""
    target = _unsubscribe_target(token)
    if target is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    user_id, email_type = target
    context = {"what": _what(email_type)}
    if request.method == "POST":
        services.preference_unsubscribe(user_id=user_id, email_type=email_type)
        return render(request, "notifications/unsubscribed.html", context)
    return render(request, "notifications/unsubscribe.html", context)
