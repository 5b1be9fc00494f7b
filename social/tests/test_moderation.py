"""Reports land in the admin queue; staff act from it; every action says who and when."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from social import services
from social.models import ModerationAction, Report
from social.tests.conftest import day

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_browser(staff):
    browser = Client()
    browser.force_login(staff)
    return browser


def act(admin_browser, action: str, report: Report):
    return admin_browser.post(
        "/admin/social/report/",
        {"action": action, "_selected_action": [str(report.pk)]},
        follow=True,
    )


def a_challenge():
    return services.challenge_create(
        created_by=None, title="Rude words here", type="global", goal_metric="sessions",
        goal_target=3, duration_days=7, starts_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip


def test_staff_hide_a_reported_challenge_and_the_report_shows_who_and_when(
    member, admin_browser, staff
):
    maya = member("Maya")
    challenge = a_challenge()
    maya.client.post(f"/api/v1/challenges/{challenge.pk}/report", {"reason": "Rude"}, format="json")
    report = Report.objects.get()
    queue = admin_browser.get("/admin/social/report/")
    assert "Rude words here" in queue.content.decode()

    act(admin_browser, "hide_challenge", report)
    act(admin_browser, "resolve", report)

    assert maya.client.get(f"/api/v1/challenges/{challenge.pk}").status_code == 404
    assert maya.client.post(f"/api/v1/challenges/{challenge.pk}/join").status_code == 404
    assert maya.client.get("/api/v1/challenges").json()["results"] == []
    actions = list(ModerationAction.objects.values_list("kind", "staff", "report"))
    assert actions == [("hide_challenge", staff.pk, report.pk), ("resolve", staff.pk, report.pk)]
    shown = admin_browser.get(f"/admin/social/report/{report.pk}/change/").content.decode()
    assert "Hid the challenge" in shown and "Resolved" in shown
    assert staff.email in shown
    report.refresh_from_db()
    assert report.status == "resolved"


def test_a_reported_display_name_is_reset_through_accounts_and_banned_from_boards(
    member, befriend, admin_browser, sync_days, django_capture_on_commit_callbacks
):
    rude = member("Rude Name", leaderboard_global="named")
    maya = member("Maya")
    sync_days(rude, {day(0): 80})
    answer = maya.client.post(
        "/api/v1/reports/display-name", {"userId": str(rude.pk), "reason": "Offensive"},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 202
    report = Report.objects.get()
    assert (report.kind, report.reported_name) == ("displayName", "Rude Name")

    with django_capture_on_commit_callbacks(execute=True):
        act(admin_browser, "reset_display_name", report)
        act(admin_browser, "ban", report)

    rude.refresh_from_db()
    assert rude.display_name == "Breather"
    board = maya.client.get("/api/v1/leaderboards/global", {"period": "day"}).json()
    assert board["entries"] == []
    kinds = [a.kind for a in report.actions.all()]
    assert kinds == ["reset_display_name", "ban"]
    assert all(a.staff is not None and a.created_at for a in report.actions.all())


def test_a_report_of_someone_one_cannot_see_is_answered_alike_and_not_stored(member):
    maya = member("Maya")
    hidden = member("Hidden Person")
    for user_id in (hidden.pk, "00000000-0000-4000-8000-000000000000"):
        answer = maya.client.post(
            "/api/v1/reports/display-name", {"userId": str(user_id), "reason": "x"}, format="json"
        )
        assert answer.status_code == 202
    assert not Report.objects.exists()


def test_reports_are_never_shown_to_the_reported_user(member):
    rude = member("Rude", leaderboard_global="named")
    maya = member("Maya")
    maya.client.post(
        "/api/v1/reports/display-name", {"userId": str(rude.pk), "reason": "Mean"}, format="json"
    )
    assert Report.objects.count() == 1
    for path in ("/api/v1/me", "/api/v1/friends", "/api/v1/challenges"):
        assert "Mean" not in rude.client.get(path).content.decode()


def test_staff_create_a_global_challenge_in_admin_and_users_see_it(member, admin_browser):
    answer = admin_browser.post(
        "/admin/social/challenge/add/",
        {
            "title": "Breathe with us",
            "description": "Everyone together.",
            "type": "global",
            "goal_metric": "consistency",
            "goal_target": 5,
            "duration_days": 7,
            "starts_at_0": timezone.now().strftime("%Y-%m-%d"),
            "starts_at_1": timezone.now().strftime("%H:%M:%S"),
            "reward_xp": 100,
            "reward_badge_id": "together",
            "visibility": "public",
            "company_domain": "",
            "participations-TOTAL_FORMS": 0,
            "participations-INITIAL_FORMS": 0,
            "participations-MIN_NUM_FORMS": 0,
            "participations-MAX_NUM_FORMS": 1000,
        },
    )
    assert answer.status_code == 302, answer.content.decode()[-2000:]
    listed = member("Maya").client.get("/api/v1/challenges", {"type": "global"}).json()
    [challenge] = listed["results"]
    assert challenge["rewards"] == {"xp": 100, "badgeId": "together"}
    assert challenge["goal"]["durationDays"] == 7


def test_the_rebuild_command_brings_back_flushed_boards(member, sync_days):
    from django.core.management import call_command

    from social.leaderboards import store

    ana = member("Ana", leaderboard_global="named")
    sync_days(ana, {day(0): 90})
    ana.client.get("/api/v1/leaderboards/global", {"period": "day"})
    client = store.board_redis()
    client.delete(*client.keys(store.key("*", "*")), *client.keys(store.ready_key("*")))

    call_command("leaderboard_rebuild")

    assert client.exists(store.ready_key(f"day:{day(0).isoformat()}"))
    assert client.zscore(store.key(f"day:{day(0).isoformat()}", "global"), str(ana.pk)) == 90
