"""Staff find reminders by user, kind and status and send a test email; the user's data export
carries their notification preferences, emails and feed."""

from datetime import date
from urllib.parse import urlsplit

import pytest
from django.core import mail
from rest_framework.test import APIClient

from notifications.models import Notification, NotificationPreference, Reminder

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def reminders(verified_user, friend):
    day = date(2026, 6, 1)
    return [
        Reminder.objects.create(user=verified_user, local_date=day, kind="streak_celebration",
                                status="sent"),
        Reminder.objects.create(user=friend, local_date=day, kind="progress_summary",
                                status="failed", last_error="SMTPDataError: 451"),
    ]  # fmt: skip


def listed(response) -> set[str]:
    return {r.user.email for r in response.context["cl"].result_list}


def test_staff_find_reminders_by_user_kind_and_status(staff_client, reminders):
    page = "/admin/notifications/reminder/"
    assert listed(staff_client.get(page, {"q": "maya@example"})) == {"maya@example.com"}
    assert listed(staff_client.get(page, {"q": "progress_summary"})) == {"theo@example.com"}
    assert listed(staff_client.get(page, {"status__exact": "failed"})) == {"theo@example.com"}
    assert listed(staff_client.get(page, {"kind__exact": "streak_celebration"})) == {
        "maya@example.com"
    }
    detail = staff_client.get(f"{page}{reminders[1].pk}/change/")
    assert "SMTPDataError: 451" in detail.content.decode()


def test_staff_send_a_test_email_from_admin(staff_client, verified_user):
    NotificationPreference.objects.create(user=verified_user)
    answer = staff_client.post(
        "/admin/notifications/notificationpreference/",
        {"action": "send_test_email", "_selected_action": [str(verified_user.pk)]},
        follow=True,
    )
    assert "1 test email(s) sent." in answer.content.decode()
    [message] = mail.outbox
    assert message.to == ["maya@example.com"]
    assert message.subject == "A test email from Breath Master"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert [kind for _, kind in message.alternatives] == ["text/html"]


def test_the_admin_is_for_staff_only(client, verified_user):
    client.force_login(verified_user)
    assert client.get("/admin/notifications/reminder/").status_code == 302


def test_the_data_export_carries_notifications(
    device_client, verified_user, reminders, django_capture_on_commit_callbacks
):
    Notification.objects.create(
        user=verified_user, kind="level_up", key="level-up:3", title="Level 3", body="Calm."
    )
    client = device_client(verified_user)
    client.patch("/api/v1/notifications/preferences", {"email": {"enabled": True}}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        export_id = client.post("/api/v1/me/export").json()["exportId"]
    url = client.get(f"/api/v1/me/export/{export_id}").json()["downloadUrl"]
    parts = urlsplit(url)
    document = APIClient().get(f"{parts.path}?{parts.query}").json()
    section = document["notifications"]
    assert section["preferences"]["email"]["enabled"] is True
    assert section["emails"] == [
        {
            "localDate": "2026-06-01",
            "kind": "streak_celebration",
            "status": "sent",
            "attempts": 0,
            "sentAt": None,
        }
    ]
    assert [item["title"] for item in section["feed"]] == ["Level 3"]
