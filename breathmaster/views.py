"""Project-level pages: the health check, the home page, and JSON errors for API paths."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views import defaults

from breathmaster.api.errors import SERVER_ERROR_DETAIL, error_body


def healthz(request):
    """200 naming what answers, or 503 naming what does not (the contract's `GET /healthz`)."""
    answers = {"postgresql": _database_up(), "redis": _redis_up()}
    down = [name for name, up in answers.items() if not up]
    if down:
        detail = f"Not answering: {', '.join(down)}."
        return JsonResponse({**error_body("unhealthy", detail), "down": down}, status=503)
    return JsonResponse({"status": "ok", "up": list(answers)})


def _database_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2).ping())
    except Exception:
        return False


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "home.html")


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse(error_body("not_found", "Nothing is here."), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse(error_body("server_error", SERVER_ERROR_DETAIL), status=500)
    return defaults.server_error(request)


def bad_request(request, exception=None):
    if _is_api(request):
        return JsonResponse(error_body("bad_request", "The request could not be read."), status=400)
    return defaults.bad_request(request, exception)
