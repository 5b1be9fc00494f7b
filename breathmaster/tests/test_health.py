import pytest


@pytest.mark.django_db
def test_healthz_answers_200_when_postgresql_and_redis_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "up": ["postgresql", "redis"]}


@pytest.mark.django_db
def test_healthz_names_redis_when_it_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["redis"]
    assert response.json()["code"] == "unhealthy"
