"""The answer for any path under /api/ that names nothing: the contract's JSON 404, in every
mode. With DEBUG on, Django would otherwise answer its HTML page listing every URL pattern."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from breathmaster.api.errors import error_body


@csrf_exempt  # a POST to a wrong path is a 404, never a CSRF page
def api_not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    return JsonResponse(error_body("not_found", "Nothing is here."), status=404)
