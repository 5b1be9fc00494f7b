"""For random people, days and privacy, the board equals a brute-force ranking of the same days,
both when built from the database (after a flush) and when kept up to date sync by sync."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from accounts.services import device_create, user_sync_enable
from progression.models import DeviceBaseline, DeviceDay, SyncFlag
from social import selectors, services
from social.leaderboards import store
from social.leaderboards.windows import PERIODS, utc_today, window_for
from social.models import BoardBan, Pseudonym

pytestmark = pytest.mark.django_db

person = st.fixed_dictionaries(
    {
        "shown": st.sampled_from(["hidden", "anonymous", "named"]),
        "sync": st.booleans() | st.just(True),
        "banned": st.booleans(),
        "baseline": st.sampled_from([0, 30, 100]),
        "days": st.dictionaries(
            st.integers(-40, 1),
            st.tuples(st.sampled_from([0, 10, 20, 50]), st.booleans()),
            max_size=5,
        ),
    }
)


def make_people(specs) -> list[User]:
    people = []
    for index, spec in enumerate(specs):
        user = User.objects.create_user(
            email=f"p{index}@prop.example", display_name=f"Person{index}",
            leaderboard_global=spec["shown"],
        )  # fmt: skip
        if spec["sync"]:
            user_sync_enable(user=user)
        if spec["banned"]:
            BoardBan.objects.create(user=user)
        device, _token = device_create(user=user, name="Laptop", platform="linux")
        DeviceBaseline.objects.create(user=user, device=device, xp=spec["baseline"])
        for offset, (xp, flagged) in spec["days"].items():
            date = utc_today() + timedelta(days=offset)
            DeviceDay.objects.create(user=user, device=device, date=date, xp=xp, sessions=1)
            if flagged:
                SyncFlag.objects.create(user=user, date=date, reason="test")
        people.append(user)
    return people


def day_of(offset: int):
    return utc_today() + timedelta(days=offset)


def brute_force(specs, people, period) -> tuple[list[tuple], dict]:
    window = window_for(period=period, day=utc_today())
    scores = {}
    for spec, user in zip(specs, people, strict=True):
        inside = [
            (xp, flagged)
            for offset, (xp, flagged) in spec["days"].items()
            if window.first is None
            or window.first <= utc_today() + timedelta(offset) <= window.last
        ]
        counted = [xp for xp, flagged in inside if not flagged]
        scores[user.pk] = sum(counted) + (spec["baseline"] if window.first is None else 0)
    shown = [
        user.pk
        for spec, user in zip(specs, people, strict=True)
        if spec["sync"] and not spec["banned"] and spec["shown"] != "hidden" and scores[user.pk] > 0
    ]
    ordered = sorted(shown, key=lambda pk: -scores[pk])
    rows = []
    for pk in ordered:
        rank = 1 + sum(1 for other in shown if scores[other] > scores[pk])
        rows.append((rank, scores[pk], pk))
    return rows, scores


def shown_name(user: User) -> str:
    if user.leaderboard_global == "named":
        return user.display_name
    return Pseudonym.objects.get(user=user).label


def flush() -> None:
    client = store.board_redis()
    keys = client.keys(store.key("*", "*")) + client.keys(store.ready_key("*"))
    if keys:
        client.delete(*keys)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(specs=st.lists(person, min_size=1, max_size=6), incremental=st.booleans())
def test_the_board_equals_a_brute_force_ranking_of_the_same_days(specs, incremental):
    User.objects.all().delete()
    flush()
    specs[0]["sync"] = True  # the viewer may look at boards
    if incremental:
        # Boards built empty first, then every person filed the way a sync files them.
        for period in PERIODS:
            services.window_ensure(period=period, day=utc_today())
    people = make_people(specs)
    viewer = people[0]
    if incremental:
        services.board_users_refresh(user_ids=[user.pk for user in people])
    for period in PERIODS:
        page = selectors.leaderboard_page(scope="global", period=period, viewer=viewer)
        rows, scores = brute_force(specs, people, period)
        by_pk = {user.pk: user for user in people}
        expected = sorted((rank, xp, shown_name(by_pk[pk])) for rank, xp, pk in rows)
        got = sorted((e["rank"], e["xp"], e["display_name"]) for e in page.entries)
        assert got == expected, period
        mine = scores[viewer.pk]
        above = sum(1 for rank, xp, _pk in rows if xp > mine)
        assert page.me == {"rank": above + 1, "xp": mine}, period
