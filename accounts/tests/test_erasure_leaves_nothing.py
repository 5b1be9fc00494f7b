"""After erasure no table holds the user's email, display name or id (CONTRACT.md, deletion).

The scan starts from a user with traces in every app: synced days, an import, a flagged day
(progression), a friendship and a challenge (social), devices, sessions, an export (accounts).
"""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import connection, models
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import DeletionRequest, User, UserSession
from accounts.services import user_sync_enable
from accounts.tasks import erase_due_accounts
from progression.selectors import user_today
from social import services as social_services

pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR).parent / "shared" / "fixtures" / "extension-export-sample.json"
# Tables that must hold the user's id before erasure: one per kind of trace this test leaves.
TRACES = {
    "progression_deviceday.user_id",
    "progression_devicebaseline.user_id",
    "progression_importedsession.user_id",
    "progression_syncflag.user_id",
    "progression_syncstate.user_id",
    "social_friendship.user_id",
    "social_challengeparticipation.user_id",
    "social_challenge.created_by_id",
}

EMAIL = "zephyrine.quell@example.org"
NAME = "Zephyrine Quell"


@pytest.fixture
def zephyrine():
    user = User.objects.create_user(email=EMAIL, password="calm-breath-42", display_name=NAME)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    user_sync_enable(user=user)
    return user


def needles(user_id) -> list[str]:
    return [EMAIL, NAME, str(user_id), user_id.hex]


def rows_found_by_models(needle: str) -> list[str]:
    found = []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.BinaryField):
                continue
            matches = (
                model._default_manager.annotate(_text=Cast(field.attname, models.TextField()))
                .filter(_text__icontains=needle)
                .exists()
            )
            if matches:
                found.append(f"{model._meta.label}.{field.attname}")
    return found


def rows_found_by_sql(needle: str) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type IN "
            "('text', 'character varying', 'character', 'json', 'jsonb', 'uuid', 'ARRAY')"
        )
        columns = cursor.fetchall()
        for table, column in columns:
            query = f'SELECT 1 FROM "{table}" WHERE "{column}"::text ILIKE %s LIMIT 1'
            cursor.execute(query, [f"%{needle}%"])
            if cursor.fetchone():
                found.append(f"{table}.{column}")
    return found


def sessions_of(user_id) -> list[str]:
    """Decode every session (not the user_id column) so a session the column missed shows."""
    return [
        session.session_key
        for session in UserSession.objects.all()
        if session.get_decoded().get("_auth_user_id") in {str(user_id), user_id.hex}
    ]


def practice_everywhere(user, laptop, friend) -> None:
    """Synced days with a flagged spike, an imported export, a friendship and a challenge."""
    today = user_today(user=user)
    history = [
        {"date": (today - timedelta(days=n)).isoformat(), "xp": 30, "sessions": 1, "minutes": 5}
        for n in range(1, 11)
    ]
    spike = {"date": today.isoformat(), "xp": 420, "sessions": 4, "minutes": 40}
    assert laptop.post("/api/v1/sync", {"days": [*history, spike]}).status_code == 200
    export = json.loads(FIXTURE.read_text())
    assert laptop.post("/api/v1/sync/import", export, format="json").status_code == 200
    friend.allow_friend_requests = True
    friend.save(update_fields=["allow_friend_requests"])
    request = social_services.friend_request_send(from_user=user, friend_code=friend.friend_code)
    social_services.friend_request_accept(request=request, by=friend)
    challenge = social_services.challenge_create_by_user(
        user=user,
        title="Ten calm minutes",
        description="A week of short breaks.",
        type="custom",
        goal_metric="totalMinutes",
        goal_target=70,
        duration_days=7,
        visibility="private",
    )
    social_services.challenge_join(challenge=challenge, user=user)


def test_erasure_leaves_no_row_with_the_users_email_name_or_id(
    zephyrine, friend, client, device_client, staff, django_capture_on_commit_callbacks
):
    user_id = zephyrine.pk
    # Leave traces everywhere a person's data usually ends up.
    laptop = device_client(zephyrine)
    device_client(zephyrine, name="Desktop")
    practice_everywhere(zephyrine, laptop, friend)
    laptop.patch("/api/v1/me", {"privacy": {"leaderboard": {"global": "named"}}})
    laptop.post("/api/v1/auth/sync-codes")
    with django_capture_on_commit_callbacks(execute=True):
        laptop.post("/api/v1/me/export")
    client.force_login(zephyrine)
    client.get("/account/privacy/")
    LogEntry.objects.log_actions(
        user_id=staff.pk,
        queryset=[zephyrine],
        action_flag=CHANGE,
        change_message=f"Looked at {EMAIL}",
    )
    # The scan finds them before erasure, so finding nothing afterwards means something.
    for needle in [EMAIL, NAME, str(user_id)]:
        assert rows_found_by_models(needle) and rows_found_by_sql(needle), needle
    assert set(rows_found_by_sql(str(user_id))) >= TRACES
    assert sessions_of(user_id)

    assert laptop.delete("/api/v1/me").status_code == 202
    DeletionRequest.objects.update(scheduled_for=timezone.now() - timedelta(minutes=1))
    assert erase_due_accounts() == 1

    for needle in needles(user_id):
        assert rows_found_by_models(needle) == [], needle
        assert rows_found_by_sql(needle) == [], needle
    assert sessions_of(user_id) == []
    assert DeletionRequest.objects.filter(erased_at__isnull=False).count() == 1
    assert User.objects.filter(pk=staff.pk).exists()
