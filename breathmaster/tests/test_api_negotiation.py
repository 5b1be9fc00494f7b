"""Our content negotiation answers exactly as DRF's would, only sooner for the common case."""

import pytest
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from breathmaster.api.negotiation import ContentNegotiation

ACCEPT_HEADERS = [
    None,
    "",
    "*/*",
    "application/json",
    "text/html",
    "application/json; q=0.9, */*; q=0.1",
    "application/vnd.oai.openapi+json",
    "application/*",
]
RENDERER_LISTS = [
    [JSONRenderer()],
    [JSONRenderer(), BrowsableAPIRenderer()],
    [OpenApiYamlRenderer(), OpenApiJsonRenderer()],
    [BrowsableAPIRenderer(), JSONRenderer()],
]

# Only a format asked for in the query string (DRF's URL_FORMAT_OVERRIDE) may change the choice.
QUERIES = ["", "?format=json", "?format=api", "?format=", "?period=week", "?period=day&format=api"]


def negotiated(negotiation, accept, renderers, query=""):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get(f"/api/v1/sync/state{query}", **headers))
    try:
        renderer, media_type = negotiation.select_renderer(request, renderers)
    except Exception as error:  # DRF's NotAcceptable: the same refusal either way
        return type(error).__name__
    return type(renderer).__name__, media_type


@pytest.mark.parametrize("accept", ACCEPT_HEADERS)
@pytest.mark.parametrize("renderers", RENDERER_LISTS, ids=lambda r: type(r[0]).__name__)
@pytest.mark.parametrize("query", QUERIES)
def test_the_same_choice_as_drf(accept, renderers, query):
    ours = negotiated(ContentNegotiation(), accept, renderers, query)
    assert ours == negotiated(DefaultContentNegotiation(), accept, renderers, query)


@pytest.mark.django_db
def test_an_operation_still_refuses_what_it_cannot_answer(api):
    assert api.get("/api/v1/sync/state", HTTP_ACCEPT="application/json").status_code == 401
    refused = api.get("/api/v1/sync/state", HTTP_ACCEPT="text/html")
    assert refused.status_code == 406
    assert refused.json()["code"] == "not_acceptable"
