"""The contract's conventions hold for every API client (CONTRACT.md, "Conventions")."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_bad_token_gets_401_in_the_contract_shape(api):
    api.credentials(HTTP_AUTHORIZATION="Bearer bm_not-a-real-token")
    response = api.get("/api/v1/me")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "invalid_token"
    assert response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_no_token_gets_401_not_authenticated(api):
    response = api.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_revoked_device_token_stops_working(device_client, verified_user):
    client = device_client(verified_user)
    assert client.get("/api/v1/me").status_code == 200
    from django.utils.timezone import now

    client.device.revoked_at = now()
    client.device.save()
    assert client.get("/api/v1/me").status_code == 401


def test_malformed_json_gets_400_with_a_code(device_client, verified_user):
    client = device_client(verified_user)
    response = client.generic("PATCH", "/api/v1/me", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"


def test_an_unknown_api_path_answers_json_not_html(api):
    response = api.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Nothing is here."}


def test_a_wrong_method_answers_json(device_client, verified_user):
    response = device_client(verified_user).put("/api/v1/devices", {}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert "/api/v1/me" in schema.json()["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    # Served from our own static files, never a CDN.
    assert b"cdn.jsdelivr" not in docs.content and b"unpkg.com" not in docs.content
