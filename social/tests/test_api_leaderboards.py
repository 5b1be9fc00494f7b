import pytest

from progression.models import SyncFlag
from social.leaderboards import store
from social.models import BoardBan
from social.tests.conftest import day

pytestmark = pytest.mark.django_db


def board(user, scope="global", period="week", **params):
    answer = user.client.get(f"/api/v1/leaderboards/{scope}", {"period": period, **params})
    assert answer.status_code == 200, answer.content
    return answer.json()


def names(body):
    return [(e["rank"], e["displayName"], e["xp"]) for e in body["entries"]]


def test_before_sync_is_on_boards_answer_sync_not_enabled(member):
    newcomer = member("New", sync=False)
    answer = newcomer.client.get("/api/v1/leaderboards/global", {"period": "week"})
    assert answer.status_code == 403
    assert answer.json()["code"] == "sync_not_enabled"


def test_competition_ranks_from_synced_days_and_the_shape(member, sync_days):
    people = {
        name: member(name, leaderboard_global="named", avatar_url="https://a.example/x.png")
        for name in ("Ana", "Ben", "Cy", "Di")
    }
    for name, xp in {"Ana": 150, "Ben": 120, "Cy": 120, "Di": 90}.items():
        sync_days(people[name], {day(0): xp})

    body = board(people["Di"], period="day")

    assert body["scope"] == "global" and body["period"] == "day" and body["next"] is None
    assert sorted(names(body)) == [(1, "Ana", 150), (2, "Ben", 120), (2, "Cy", 120), (4, "Di", 90)]
    assert body["entries"][0] == {
        "rank": 1,
        "displayName": "Ana",
        "avatarUrl": "https://a.example/x.png",
        "xp": 150,
        "streak": None,
        "minutes": 10,
    }
    assert body["me"] == {"rank": 4, "xp": 90}


def test_windows_count_the_days_inside_them_and_all_is_the_whole_total(member, sync_days):
    ana = member("Ana", leaderboard_global="named")
    ana.client.post("/api/v1/sync", {"baseline": {"xp": 500, "sessions": 5, "minutes": 50}})
    sync_days(ana, {day(0): 100, day(-40): 70})

    figures = {period: board(ana, period=period)["me"]["xp"] for period in ("day", "all")}

    assert figures == {"day": 100, "all": 670}
    state = ana.client.get("/api/v1/sync/state").json()["state"]
    assert state["totalXP"] == 670


def test_me_is_my_rank_even_off_the_page_and_even_when_hidden(member, sync_days):
    shown = [member(f"P{n:02d}", leaderboard_global="anonymous") for n in range(51)]
    for n, person in enumerate(shown):
        sync_days(person, {day(0): 100 + n})
    hidden = member("Hidden")  # the default: hidden
    sync_days(hidden, {day(0): 100})

    first = board(hidden, period="day")

    assert len(first["entries"]) == 50
    # 50 people have more XP; P00 has the same 100 and shares the rank.
    assert first["me"] == {"rank": 51, "xp": 100}
    assert all(e["displayName"].startswith("Anonymous_") for e in first["entries"])
    second = board(hidden, period="day", cursor=first["next"])
    assert [(e["rank"], e["xp"]) for e in second["entries"]] == [(51, 100)]
    assert second["next"] is None


def test_anonymous_names_are_stable_four_digits_and_never_the_same(member, sync_days):
    people = [member(f"P{n}", leaderboard_global="anonymous") for n in range(5)]
    for person in people:
        sync_days(person, {day(0): 60})

    shown = [e["displayName"] for e in board(people[0], period="day")["entries"]]

    assert len(set(shown)) == 5
    assert all(len(name) == len("Anonymous_0000") for name in shown)
    assert [e["displayName"] for e in board(people[1], period="day")["entries"]] == shown
    for person in people:
        assert person.friend_code not in str(shown) and str(person.pk)[:4] not in str(shown)


def test_the_company_board_is_for_verified_work_domains_only(member, sync_days):
    ana = member("Ana", "ana@calmcorp.example", leaderboard_company=True)
    ben = member("Ben", "ben@calmcorp.example", leaderboard_company=True)
    unverified = member("Uno", "uno@calmcorp.example", verified=False, leaderboard_company=True)
    gmail = member("Gem", "gem@gmail.com", leaderboard_company=True)
    other = member("Oz", "oz@othercorp.example", leaderboard_company=True)
    for person in (ana, ben, unverified, gmail, other):
        sync_days(person, {day(0): 80})

    assert sorted(names(board(ana, "company", "day"))) == [(1, "Ana", 80), (1, "Ben", 80)]
    assert board(unverified, "company", "day")["me"] is None
    free = board(gmail, "company", "day")
    assert free["me"] is None and free["entries"] == []
    assert names(board(other, "company", "day")) == [(1, "Oz", 80)]


def test_flagged_days_count_nowhere_until_cleared(member, sync_days):
    ana = member("Ana", leaderboard_global="named")
    sync_days(ana, {day(0): 100, day(-1): 50})
    SyncFlag.objects.create(user=ana, date=day(0), reason="unusual")
    from social import services

    services.board_users_refresh(user_ids=[ana.pk])

    assert board(ana, period="day")["entries"] == []
    assert board(ana, period="all")["me"]["xp"] == 50


def test_a_flagged_baseline_counts_on_no_board_until_cleared(member, sync_days):
    ana = member("Ana", leaderboard_global="named")
    baseline = {"baseline": {"xp": 500, "sessions": 5, "minutes": 50}}
    assert ana.client.post("/api/v1/sync", baseline, format="json").status_code == 200
    sync_days(ana, {day(0): 100})
    SyncFlag.objects.create(
        user=ana, kind="baseline", device=ana.client.device, reason="unexplained"
    )
    from social import services

    services.board_users_refresh(user_ids=[ana.pk])

    assert board(ana, period="all")["me"]["xp"] == 100


def test_a_ban_takes_the_user_off_every_board_at_once(
    member, sync_days, befriend, staff, django_capture_on_commit_callbacks
):
    ana = member("Ana", "ana@calmcorp.example", leaderboard_global="named",
                 leaderboard_friends=True, leaderboard_company=True)  # fmt: skip
    ben = member("Ben", "ben@calmcorp.example", leaderboard_company=True)
    befriend(ana, ben)
    sync_days(ana, {day(0): 100})
    assert "Ana" in str(board(ben, "global", "day"))

    from social import services

    with django_capture_on_commit_callbacks(execute=True):
        services.board_ban(user=ana, staff=staff)

    assert BoardBan.objects.filter(user=ana).exists()
    for scope in ("global", "friends", "company"):
        for period in ("day", "week", "month", "all"):
            body = board(ben, scope, period)
            assert "Ana" not in str(body["entries"])
            assert body["me"]["rank"] == 1


def test_a_flushed_redis_is_rebuilt_from_the_database(member, sync_days):
    ana, ben = member("Ana", leaderboard_global="named"), member("Ben", leaderboard_global="named")
    sync_days(ana, {day(0): 90})
    sync_days(ben, {day(0): 70})
    before = board(ben, period="day")
    client = store.board_redis()
    client.delete(*client.keys(store.key("*", "*")), *client.keys(store.ready_key("*")))

    after = board(ben, period="day")

    assert names(after) == names(before) == [(1, "Ana", 90), (2, "Ben", 70)]
    assert after["me"] == {"rank": 2, "xp": 70}


def test_a_later_sync_moves_the_board_at_once(member, sync_days):
    ana, ben = member("Ana", leaderboard_global="named"), member("Ben", leaderboard_global="named")
    sync_days(ana, {day(0): 90})
    sync_days(ben, {day(0): 70})
    assert names(board(ben, period="day"))[0] == (1, "Ana", 90)

    sync_days(ben, {day(0): (150, 2, 20)})

    assert names(board(ana, period="day")) == [(1, "Ben", 150), (2, "Ana", 90)]


def test_hiding_oneself_leaves_every_board_at_once(
    member, sync_days, django_capture_on_commit_callbacks
):
    ana, ben = member("Ana", leaderboard_global="named"), member("Ben", leaderboard_global="named")
    sync_days(ana, {day(0): 90})
    sync_days(ben, {day(0): 70})
    assert board(ben, period="day")["me"]["rank"] == 2

    hide = {"privacy": {"leaderboard": {"global": "hidden"}}}
    with django_capture_on_commit_callbacks(execute=True):
        assert ana.client.patch("/api/v1/me", hide, format="json").status_code == 200

    body = board(ben, period="day")
    assert names(body) == [(1, "Ben", 70)]
    assert body["me"]["rank"] == 1


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("/api/v1/leaderboards/everyone", {"period": "day"}, 404, "not_found"),
        ("/api/v1/leaderboards/global", {"period": "year"}, 400, "invalid"),
        ("/api/v1/leaderboards/global", {"period": "day", "cursor": "%%%"}, 400, "invalid_cursor"),
        ("/api/v1/leaderboards/global", {"period": "day", "sort": "x"}, 400, "invalid"),
    ],
)
def test_bad_board_requests_answer_in_the_contracts_shape(member, path, params, status, code):
    answer = member("Ana").client.get(path, params)
    assert answer.status_code == status
    assert answer.json()["code"] == code
    assert answer.json()["detail"]


def test_streaks_show_only_for_those_who_share_them_whether_cached_or_read(
    member, sync_days, django_capture_on_commit_callbacks
):
    ana = member("Ana", leaderboard_global="named", share_streaks=True)
    ben = member("Ben", leaderboard_global="named")
    cy = member("Cy", leaderboard_global="named", share_streaks=True)
    di = member("Di", leaderboard_global="named", share_streaks=True)
    sync_days(ana, {day(0): 100, day(-1): 100})
    sync_days(ben, {day(0): 150, day(-1): 150})
    sync_days(cy, {day(-4): 90, day(-3): 90})  # a run that ended: 0, said calmly as a number
    with django_capture_on_commit_callbacks(execute=True):
        di.client.post("/api/v1/sync", {"baseline": {"xp": 50, "sessions": 1, "minutes": 5}})
    expected = [("Ben", None), ("Ana", 2), ("Cy", 0), ("Di", 0)]

    def streaks():
        return [(e["displayName"], e["streak"]) for e in board(ana, period="all")["entries"]]

    assert streaks() == expected
    # The runs cached by the syncs' refresh gone (a flushed Redis): read afresh, the same.
    store.board_redis().delete(store.streak_key())
    assert streaks() == expected
    assert streaks() == expected


def test_the_friends_board_ranks_my_friends_with_their_minutes_even_after_a_flush(
    member, sync_days, befriend
):
    ana = member("Ana", leaderboard_friends=True, share_streaks=True)
    ben = member("Ben", leaderboard_friends=True)
    cy = member("Cy")  # a friend who keeps off the friends board
    maya = member("Maya")
    for friend in (ana, ben, cy):
        befriend(maya, friend)
    sync_days(ana, {day(0): (90, 1, 12), day(-1): (10, 1, 3)})
    sync_days(ben, {day(0): (120, 2, 20)})
    sync_days(cy, {day(0): (500, 5, 50)})
    sync_days(maya, {day(0): (90, 1, 7)})
    expected = [
        {"rank": 1, "displayName": "Ben", "xp": 120, "minutes": 20, "streak": None},
        {"rank": 2, "displayName": "Ana", "xp": 90, "minutes": 12, "streak": 2},
        {"rank": 2, "displayName": "Maya", "xp": 90, "minutes": 7, "streak": 1},
    ]

    def rows():
        body = board(maya, "friends", "day")
        assert body["me"] == {"rank": 2, "xp": 90}
        entries = [
            {k: e[k] for k in ("rank", "displayName", "xp", "minutes", "streak")}
            for e in body["entries"]
        ]
        return sorted(entries, key=lambda e: (e["rank"], e["displayName"]))

    assert rows() == expected
    client = store.board_redis()
    client.delete(*client.keys(store.key("*", "*")), *client.keys(store.ready_key("*")))
    client.delete(store.streak_key())
    assert rows() == expected
