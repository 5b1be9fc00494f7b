"""Keeping the leaderboard sets in step with the database (see `social.leaderboards`)."""

import secrets
import time
from collections.abc import Iterable
from datetime import timedelta
from uuid import UUID

from django.db import IntegrityError, transaction

from accounts.models import LeaderboardVisibility
from progression.selectors.boards import board_scores, last_runs
from social.leaderboards import store
from social.leaderboards.windows import Window, current_windows, window_for
from social.models import Pseudonym
from social.selectors import audience

_CHUNK = 10_000
_LOCK_SECONDS = 600


def _boards_for(row: tuple, domains: dict) -> list[str]:
    """The boards one rankable user belongs on (besides `ev`, which holds everyone)."""
    user_id, visibility, on_company = row
    boards = []
    if visibility != LeaderboardVisibility.HIDDEN:
        boards.append("global")
    if on_company and (domain := domains.get(user_id)):
        boards.append(f"co:{domain}")
    return boards


def _filing(user_ids: Iterable[UUID] | None) -> tuple[dict[UUID, list[str]], dict[UUID, str]]:
    """For each rankable user: the boards to be on, and the company domain if any."""
    users = audience.rankable_users()
    if user_ids is not None:
        users = users.filter(pk__in=list(user_ids))
    rows = list(users.values_list("pk", "leaderboard_global", "leaderboard_company"))
    domains = audience.company_domains_of(user_ids=[row[0] for row in rows if row[2]])
    return {row[0]: _boards_for(row, domains) for row in rows}, domains


def rebuild_window(*, window: Window) -> int:
    """Recompute one window's sets from the database and swap them in; answer how many users.

    1. Take the window's lock (another process rebuilding: wait for its `ready` instead).
    2. Write every set under a temporary name, in chunks, from one bulk read.
    3. RENAME each over the live one (atomic per key); drop boards no longer there.
    4. Re-apply users a sync touched meanwhile, then mark the window ready.
    """
    client = store.board_redis()
    lock = store.lock_key(window.key)
    if not client.set(lock, "1", nx=True, ex=_LOCK_SECONDS):
        return _wait_ready(window)
    try:
        count = _rebuild_locked(client, window)
        dirty = client.smembers(store.dirty_key(window.key))
        client.delete(store.dirty_key(window.key))
        if dirty:
            board_users_refresh(user_ids=[UUID(u) for u in dirty], windows=[window])
        client.set(store.ready_key(window.key), "1", ex=window.ttl_seconds)
        return count
    finally:
        client.delete(lock)


def _wait_ready(window: Window) -> int:
    client = store.board_redis()
    for _ in range(600):
        if client.exists(store.ready_key(window.key)):
            return 0
        time.sleep(0.1)
    return 0


def _rebuild_locked(client, window: Window) -> int:
    filing, _domains = _filing(None)
    suffix = f":tmp-{secrets.token_hex(4)}"
    boards: dict[str, dict[str, int]] = {"ev": {}}
    minutes: dict[str, int] = {}
    count = 0
    for user_id, xp, spent in board_scores(first=window.first, last=window.last):
        on = filing.get(user_id)
        if on is None or xp <= 0:
            continue
        member = str(user_id)
        for board in ["ev", *on]:
            boards.setdefault(board, {})[member] = xp
        minutes[member] = spent
        count += 1
        if count % _CHUNK == 0:
            _write_chunk(client, window, suffix, boards, minutes)
    _write_chunk(client, window, suffix, boards, minutes)
    _swap_in(client, window, set(boards), suffix)
    return count


def _write_chunk(client, window: Window, suffix: str, boards: dict, minutes: dict) -> None:
    """One ZADD per board and one HSET for the chunk (not a command per user)."""
    pipe = client.pipeline(transaction=False)
    for board, scores in boards.items():
        if scores:
            pipe.zadd(store.key(window.key, board) + suffix, scores)
            scores.clear()
    if minutes:
        pipe.hset(store.key(window.key, "min") + suffix, mapping=minutes)
        minutes.clear()
    pipe.execute()


def _swap_in(client, window: Window, boards: set[str], suffix: str) -> None:
    """One MULTI: each built board renamed over the live one, boards now empty dropped."""
    previous = set(client.smembers(store.boards_key(window.key)))
    boards = boards | {"ev", "global", "min"}
    ordered = sorted(boards)
    check = client.pipeline(transaction=False)
    for board in ordered:
        check.exists(store.key(window.key, board) + suffix)
    present = check.execute()
    pipe = client.pipeline(transaction=True)
    for board, built in zip(ordered, present, strict=True):
        live = store.key(window.key, board)
        if built:
            pipe.rename(live + suffix, live)
            if window.ttl_seconds:
                pipe.expire(live, window.ttl_seconds)
        else:
            pipe.delete(live)
    for board in previous - boards:
        pipe.delete(store.key(window.key, board))
    pipe.delete(store.boards_key(window.key))
    pipe.sadd(store.boards_key(window.key), *ordered)
    if window.ttl_seconds:
        pipe.expire(store.boards_key(window.key), window.ttl_seconds)
    pipe.execute()


def board_users_refresh(*, user_ids: Iterable[UUID], windows: list[Window] | None = None) -> None:
    """Re-file users on every ready window from the database: scores, boards, or off them all.

    Absolute values, never increments: running it twice, or late, leaves the same sets.
    """
    user_ids = [UUID(str(user_id)) for user_id in user_ids]
    if not user_ids:
        return
    client = store.board_redis()
    filing, domains = _filing(user_ids)
    windows = windows or _ready_windows(client)
    moved = _company_moves(client, user_ids, domains)
    pipe = client.pipeline(transaction=False)
    for window in windows:
        if client.exists(store.lock_key(window.key)):
            pipe.sadd(store.dirty_key(window.key), *map(str, user_ids))
        scores = {
            user_id: (xp, minutes)
            for user_id, xp, minutes in board_scores(
                first=window.first, last=window.last, user_ids=user_ids
            )
        }
        for user_id in user_ids:
            on, score = filing.get(user_id), scores.get(user_id)
            _file_one(pipe, window, user_id, on, score, domains.get(user_id), moved)
    pipe.hdel(store.streak_key(), *map(str, user_ids))
    pipe.execute()
    # A sync may have moved a streak: cache the runs afresh (only those still rankable).
    streak_runs_cache(user_ids=[user_id for user_id in user_ids if user_id in filing])


def streak_runs_cache(*, user_ids: list[UUID]) -> dict[UUID, str]:
    """Read the users' latest runs of active days and cache them for board reads."""
    if not user_ids:
        return {}
    runs = last_runs(user_ids=user_ids)
    cached = {
        user_id: f"{runs[user_id][0].isoformat()}:{runs[user_id][1]}" if user_id in runs else ""
        for user_id in user_ids
    }
    store.board_redis().hset(store.streak_key(), mapping={str(k): v for k, v in cached.items()})
    return cached


def _ready_windows(client) -> list[Window]:
    windows = current_windows()
    tomorrow = current_windows(today=windows[0].first + timedelta(days=1))
    candidates = {window.key: window for window in windows + tomorrow}
    return [w for w in candidates.values() if client.exists(store.ready_key(w.key))]


def _company_moves(client, user_ids: list[UUID], domains: dict) -> dict[UUID, str]:
    """Previous company domains of users whose company changed (to take them off there)."""
    previous = client.hmget(store.company_of_key(), [str(u) for u in user_ids])
    moved = {}
    pipe = client.pipeline(transaction=False)
    for user_id, before in zip(user_ids, previous, strict=True):
        now = domains.get(user_id)
        if before and before != now:
            moved[user_id] = before
        if now:
            pipe.hset(store.company_of_key(), str(user_id), now)
        elif before:
            pipe.hdel(store.company_of_key(), str(user_id))
    pipe.execute()
    return moved


def _file_one(pipe, window: Window, user_id, on, score, domain, moved: dict) -> None:
    member = str(user_id)
    candidates = {"ev", "global"}
    for company in (domain, moved.get(user_id)):
        if company:
            candidates.add(f"co:{company}")
    xp, minutes = score or (0, 0)
    keep = set() if on is None or xp <= 0 else {"ev", *on}
    for board in candidates - keep:
        pipe.zrem(store.key(window.key, board), member)
    for board in keep:
        pipe.zadd(store.key(window.key, board), {member: xp})
        pipe.sadd(store.boards_key(window.key), board)
    if keep:
        pipe.hset(store.key(window.key, "min"), member, minutes)
    else:
        pipe.hdel(store.key(window.key, "min"), member)


def board_user_remove(*, user_id: UUID) -> None:
    """Off every board at once (hidden, banned, deleted): re-filing finds them unrankable."""
    board_users_refresh(user_ids=[user_id])


def window_ensure(*, period: str, day) -> Window:
    """The window for `period` around `day`, rebuilt first if Redis lost it."""
    window = window_for(period=period, day=day)
    if not store.board_redis().exists(store.ready_key(window.key)):
        rebuild_window(window=window)
    return window


def pseudonyms_ensure(*, user_ids: Iterable[UUID]) -> None:
    """Give each user an `Anonymous_NNNN` number if they have none yet (random, unique)."""
    user_ids = set(user_ids)
    missing = user_ids - set(
        Pseudonym.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True)
    )
    for user_id in missing:
        _pseudonym_create(user_id)


def _pseudonym_create(user_id: UUID) -> None:
    digits = 4
    for attempt in range(64):
        number = f"{secrets.randbelow(10**digits):0{digits}d}"
        try:
            with transaction.atomic():
                Pseudonym.objects.get_or_create(user_id=user_id, defaults={"number": number})
            return
        except IntegrityError:
            # Taken: after a few misses the four digits are crowded; widen by one.
            if attempt % 8 == 7:
                digits += 1
