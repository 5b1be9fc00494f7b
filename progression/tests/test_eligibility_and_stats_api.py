"""The invitation's rules, consent, stats for charts, retention and flags."""

from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from progression import tasks
from progression.admin import SyncFlagAdmin
from progression.models import DeviceBaseline, DeviceDay, SyncFlag
from progression.selectors import user_is_flagged, user_today

pytestmark = pytest.mark.django_db


def day(user, offset=0):
    return (user_today(user=user) - timedelta(days=offset)).isoformat()


def test_eligibility_is_judged_on_the_numbers_given_without_a_token(api):
    answer = api.post(
        "/api/v1/sync/eligibility",
        {"totalXP": 499, "totalSessions": 30, "currentStreak": 4, "firstSeenDate": "2025-01-01"},
    )
    assert answer.status_code == 200
    assert answer.json() == {
        "eligible": False,
        "requirements": {
            "minLevel": 5,
            "minTotalSessions": 25,
            "minStreak": 3,
            "minAccountAgeDays": 7,
        },
        "nextRequirement": {"requirement": "minLevel", "needed": 5, "current": 4},
    }
    eligible = api.post(
        "/api/v1/sync/eligibility",
        {
            "totalXP": 500,
            "totalSessions": 25,
            "currentStreak": 3,
            "firstSeenDate": "Wed Aug 27 2025",
        },
    ).json()
    assert eligible["eligible"] is True
    assert eligible["nextRequirement"] is None


def test_eligibility_names_the_first_unmet_requirement_in_order(api):
    from django.utils import timezone

    today = timezone.now().date()
    answer = api.post(
        "/api/v1/sync/eligibility",
        {
            "totalXP": 800,
            "totalSessions": 40,
            "currentStreak": 5,
            "firstSeenDate": (today - timedelta(days=6)).isoformat(),
        },
    ).json()
    assert answer["nextRequirement"] == {
        "requirement": "minAccountAgeDays",
        "needed": 7,
        "current": 6,
    }
    streak = api.post(
        "/api/v1/sync/eligibility",
        {"totalXP": 800, "totalSessions": 24, "currentStreak": 0, "firstSeenDate": "2025-01-01"},
    ).json()
    assert streak["nextRequirement"]["requirement"] == "minTotalSessions"


@pytest.mark.parametrize(
    "body",
    [
        {"totalXP": "500", "totalSessions": 25, "currentStreak": 3, "firstSeenDate": "2025-01-01"},
        {"totalXP": 500, "totalSessions": -1, "currentStreak": 3, "firstSeenDate": "2025-01-01"},
        {"totalXP": 500, "totalSessions": 25, "currentStreak": 3, "firstSeenDate": "soon"},
        {"totalXP": 500},
    ],
)
def test_eligibility_refuses_bad_numbers(api, body):
    answer = api.post("/api/v1/sync/eligibility", body)
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"


def _practice(client, user, days, xp=25, sessions=1, minutes=5):
    client.post(
        "/api/v1/sync",
        {
            "days": [
                {"date": day(user, n), "xp": xp, "sessions": sessions, "minutes": minutes}
                for n in days
            ]
        },
    )


def test_enabling_sync_needs_the_servers_own_view_to_meet_the_rules(verified_user, device_client):
    laptop = device_client(verified_user)
    _practice(laptop, verified_user, range(3), xp=200, sessions=5, minutes=20)
    refused = laptop.post("/api/v1/sync/enable")
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_eligible"
    assert refused.json()["nextRequirement"] == {
        "requirement": "minTotalSessions",
        "needed": 25,
        "current": 15,
    }
    verified_user.refresh_from_db()
    assert verified_user.sync_enabled_at is None
    # Eight days in a row up to today: a week since the first active day, 40 sessions.
    _practice(laptop, verified_user, range(8), xp=200, sessions=5, minutes=20)
    enabled = laptop.post("/api/v1/sync/enable")
    assert enabled.status_code == 200, enabled.json()
    assert enabled.json()["syncEnabled"] is True
    verified_user.refresh_from_db()
    assert verified_user.sync_enabled_at is not None
    assert enabled.json()["enabledAt"].endswith("+00:00")
    # Consent stays given even on a quieter day later.
    assert laptop.post("/api/v1/sync/enable").json() == enabled.json()


def test_me_shows_the_servers_eligibility(verified_user, device_client):
    laptop = device_client(verified_user)
    _practice(laptop, verified_user, range(2))
    me = laptop.get("/api/v1/me").json()
    assert me["eligibility"]["eligible"] is False
    assert me["eligibility"]["nextRequirement"]["requirement"] == "minLevel"


def test_stats_series_are_limited_to_the_plans_history(verified_user, device_client):
    laptop = device_client(verified_user)
    _practice(laptop, verified_user, [0, 1, 29, 40])
    daily = laptop.get("/api/v1/stats?period=daily").json()
    assert daily["historyDays"] == 30
    assert len(daily["series"]) == 30
    assert sum(bucket["minutes"] for bucket in daily["series"]) == 15
    assert daily["series"][-1] == {
        "start": day(verified_user),
        "xp": 25,
        "sessions": 1,
        "minutes": 5,
        "activeDays": 1,
    }
    weekly = laptop.get("/api/v1/stats?period=weekly").json()
    assert sum(bucket["activeDays"] for bucket in weekly["series"]) == 3
    assert laptop.get("/api/v1/stats?period=yearly").status_code == 400


def test_days_past_retention_fold_into_the_baseline_and_are_never_counted_twice(
    verified_user, device_client
):
    verified_user.data_retention_days = 30
    verified_user.save(update_fields=["data_retention_days"])
    laptop = device_client(verified_user)
    old = {"date": day(verified_user, 40), "xp": 50, "sessions": 2, "minutes": 9}
    recent = {"date": day(verified_user, 1), "xp": 20, "sessions": 1, "minutes": 4}
    first = laptop.post("/api/v1/sync", {"days": [old, recent]}).json()
    assert first["state"]["totalXP"] == 70
    assert not DeviceDay.objects.filter(user=verified_user, date=old["date"]).exists()
    assert DeviceBaseline.objects.get(user=verified_user).folded_xp == 50
    again = laptop.post("/api/v1/sync", {"days": [{**old, "xp": 60}, recent]}).json()
    assert again["state"]["totalXP"] == 70
    assert again["syncVersion"] == first["syncVersion"]


def test_the_daily_fold_keeps_totals_and_can_run_twice(verified_user, device_client):
    laptop = device_client(verified_user)
    _practice(laptop, verified_user, [1, 2, 3, 20, 21])
    before = laptop.get("/api/v1/sync/state").json()["state"]
    verified_user.data_retention_days = 10
    verified_user.save(update_fields=["data_retention_days"])
    assert tasks.fold_expired_days.delay().get() == 1
    assert tasks.fold_expired_days() == 0
    after = laptop.get("/api/v1/sync/state").json()["state"]
    assert DeviceDay.objects.filter(user=verified_user).count() == 3
    for name in ("totalXP", "totalSessions", "totalMinutes", "currentStreak", "longestStreak"):
        assert after[name] == before[name], name


def test_a_day_far_above_the_users_own_history_is_kept_but_flagged(
    verified_user, staff, device_client
):
    laptop = device_client(verified_user)
    _practice(laptop, verified_user, range(1, 11), xp=30)
    answer = laptop.post(
        "/api/v1/sync",
        {"days": [{"date": day(verified_user), "xp": 420, "sessions": 4, "minutes": 40}]},
    )
    assert answer.status_code == 200
    assert answer.json()["state"]["totalXP"] == 720
    assert user_is_flagged(user=verified_user)
    flag = SyncFlag.objects.get(user=verified_user)
    request = RequestFactory().post("/admin/")
    request.user = staff
    request._messages = type("Messages", (), {"add": lambda *args, **kwargs: None})()
    SyncFlagAdmin(SyncFlag, site).clear_flags(request, SyncFlag.objects.filter(pk=flag.pk))
    assert not user_is_flagged(user=verified_user)


def test_a_spike_is_flagged_alike_whether_it_arrives_with_its_history_or_later(
    verified_user, friend, device_client
):
    spike = {"xp": 420, "sessions": 4, "minutes": 40}
    flags = {}
    for user, together in ((verified_user, False), (friend, True)):
        laptop = device_client(user)
        days = [
            {"date": day(user, n), "xp": 30 + n, "sessions": 1, "minutes": 5} for n in range(1, 11)
        ]
        today = {"date": day(user), **spike}
        if together:  # one upload carries the history and the spike
            laptop.post("/api/v1/sync", {"days": [*days, today]})
        else:  # the spike arrives after its history
            laptop.post("/api/v1/sync", {"days": days})
            laptop.post("/api/v1/sync", {"days": [today]})
        flag = SyncFlag.objects.get(user=user)
        flags[together] = (flag.date, flag.day_xp, flag.median_xp, flag.reason)
    assert flags[False] == flags[True]
    assert flags[False][1:] == (
        420,
        35.5,
        "420 XP against a median of 35.5 over the 10 days before",
    )


def test_an_honest_busy_day_is_not_flagged_without_history(verified_user, device_client):
    laptop = device_client(verified_user)
    _practice(laptop, verified_user, [0], xp=322, minutes=40)
    assert not user_is_flagged(user=verified_user)
