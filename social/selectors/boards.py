"""Reading a leaderboard: one page, competition ranks, and the viewer's own place."""

import base64
import binascii
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone
from rest_framework import status

from accounts.models import User
from breathmaster.api.errors import ApplicationError
from progression.selectors.boards import board_scores
from social.leaderboards import store
from social.leaderboards.windows import PERIODS, Window, utc_today, window_for
from social.models import Friendship
from social.selectors import audience

SCOPES = ("global", "friends", "company")
PAGE_SIZE = 50


@dataclass
class BoardPage:
    scope: str
    period: str
    entries: list[dict] = field(default_factory=list)
    me: dict | None = None
    next: str | None = None


def cursor_encode(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def cursor_decode(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        offset = int(text.removeprefix("o:")) if text.startswith("o:") else -1
    except (binascii.Error, UnicodeDecodeError, ValueError):
        offset = -1
    if not 0 <= offset <= 10_000_000:
        raise ApplicationError("That page cursor is not valid.", code="invalid_cursor")
    return offset


def sync_required(*, user: User) -> None:
    """Leaderboards and challenges are for accounts that turned sync on."""
    if user.sync_enabled_at is None:
        raise ApplicationError(
            "Turn on sync first to see leaderboards and challenges.",
            code="sync_not_enabled",
            status_code=status.HTTP_403_FORBIDDEN,
        )


def leaderboard_page(
    *, scope: str, period: str, viewer: User, cursor: str | None = None
) -> BoardPage:
    """The page at `cursor` of a board, and the viewer's rank as if they were shown."""
    if scope not in SCOPES:
        raise ApplicationError("There is no such leaderboard.", code="not_found", status_code=404)
    if period not in PERIODS:
        raise ApplicationError(
            "Choose a period: day, week, month or all.",
            code="invalid",
            errors={"period": ["Choose day, week, month or all."]},
        )
    sync_required(user=viewer)
    offset = cursor_decode(cursor)
    window = window_for(period=period, day=utc_today())
    page = BoardPage(scope=scope, period=period)
    if scope == "friends":
        _friends_board(page, window, viewer, offset)
    else:
        _ranked_board(page, window, viewer, offset)
    return page


def _score_of(window: Window, user_id, score=None) -> int:
    """The user's XP in the window: from the set, or (banned, so not in it) the database."""
    if score is not None:
        return int(float(score))
    found = board_scores(first=window.first, last=window.last, user_ids=[user_id])
    return next((xp for _user, xp, _minutes in found), 0)


# "Top of the page plus my place" in one round trip: the page with each row's minutes and
# cached streak run, my score and the count above it. The page comes back as one string
# ("id score minutes run" lines; run `?` when not cached): a reply of a handful of values, not
# 200 for the client to parse one by one. Answers {0} when the window is not built.
_PAGE_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
local rows = redis.call('ZREVRANGE', KEYS[2], ARGV[1], ARGV[2], 'WITHSCORES')
local mine = redis.call('ZSCORE', KEYS[3], ARGV[3])
local above = -1
if mine then above = redis.call('ZCOUNT', KEYS[2], '(' .. mine, '+inf') end
local first_above, lines = 0, {}
if #rows > 0 then
    first_above = redis.call('ZCOUNT', KEYS[2], '(' .. rows[2], '+inf')
    local ids = {}
    for index = 1, #rows, 2 do ids[#ids + 1] = rows[index] end
    local minutes = redis.call('HMGET', KEYS[4], unpack(ids))
    local runs = redis.call('HMGET', KEYS[5], unpack(ids))
    for index = 1, #ids do
        local run = runs[index]
        if run == '' then run = '-' elseif not run then run = '?' end
        lines[index] = ids[index] .. ' ' .. rows[2 * index] .. ' ' .. (minutes[index] or '0')
            .. ' ' .. run
    end
end
return {1, table.concat(lines, '\\n'), mine or '', redis.call('ZCARD', KEYS[2]), above, first_above}
"""


# The friends board in one round trip: my score, and each friend's score, minutes and cached
# run, packed as the page script packs them (ARGV: me, then the friends shown).
_FRIENDS_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
local mine = redis.call('ZSCORE', KEYS[2], ARGV[1])
local ids, lines = {unpack(ARGV, 2)}, {}
if #ids > 0 then
    local scores = redis.call('ZMSCORE', KEYS[2], unpack(ids))
    local minutes = redis.call('HMGET', KEYS[3], unpack(ids))
    local runs = redis.call('HMGET', KEYS[4], unpack(ids))
    for index = 1, #ids do
        local run = runs[index]
        if run == '' then run = '-' elseif not run then run = '?' end
        lines[index] = ids[index] .. ' ' .. (scores[index] or '0') .. ' '
            .. (minutes[index] or '0') .. ' ' .. run
    end
end
return {1, table.concat(lines, '\\n'), mine or ''}
"""


@cache
def _page_script(client):
    return client.register_script(_PAGE_SCRIPT)


@cache
def _friends_script(client):
    return client.register_script(_FRIENDS_SCRIPT)


def _run_ready(script, window: Window, keys: list[str], args: list) -> list:
    """Run a board script; when the window is not built (Redis lost it), rebuild it first."""
    answer = store.hot_script(script, keys, args)
    if not answer[0]:
        from social.services.boards import rebuild_window

        rebuild_window(window=window)
        answer = store.hot_script(script, keys, args)
    return answer


def _unpack(packed: str) -> tuple[list[tuple[str, int]], dict[str, tuple]]:
    """A script's "id score minutes run" lines: `(id, xp)` in order, and id -> (minutes, run)."""
    rows, extras = [], {}
    if not packed:
        return rows, extras
    for line in packed.split("\n"):
        member, score, minutes, run = line.split(" ")
        rows.append((member, int(float(score))))
        extras[member] = (int(minutes), _RUNS.get(run, run))
    return rows, extras


# A streak run as the scripts send it: `-` cached as none, `?` not cached yet.
_RUNS = {"-": "", "?": None}


def _ranked_board(page: BoardPage, window: Window, viewer: User, offset: int) -> None:
    if page.scope == "company":
        domain = audience.company_domain_of(user=viewer)
        if domain is None:
            return
        board = store.key(window.key, f"co:{domain}")
    else:
        board = store.key(window.key, "global")
    client = store.board_redis()
    keys = [
        store.ready_key(window.key),
        board,
        store.key(window.key, "ev"),
        store.key(window.key, "min"),
        store.streak_key(),
    ]
    args = [offset, offset + PAGE_SIZE - 1, str(viewer.pk)]
    answer = _run_ready(_page_script(client), window, keys, args)
    _ready, packed, my_score, size, above, first_above = answer
    my_xp = _score_of(window, viewer.pk, my_score or None)
    if above < 0:  # not in the set (banned): count above the score read from the database
        above = client.zcount(board, f"({my_xp}", "+inf")
    page.me = {"rank": above + 1, "xp": my_xp}
    rows, extras = _unpack(packed)
    if not rows:
        return
    ranked = _competition_ranks(rows, first_above + 1)
    page.entries = _entries(ranked, viewer, page.scope, extras)
    if offset + PAGE_SIZE < size:
        page.next = cursor_encode(offset + PAGE_SIZE)


def _competition_ranks(rows, first_rank: int) -> list[tuple[str, int, int]]:
    """`(user_id, xp, rank)`: equal XP share a rank, the next rank skips (1, 2, 2, 4)."""
    ranked = []
    rank, previous = first_rank, None
    for index, (member, xp) in enumerate(rows):
        if xp != previous:
            rank, previous = first_rank + index, xp
        ranked.append((member, xp, rank))
    return ranked


def _friends_board(page: BoardPage, window: Window, viewer: User, offset: int) -> None:
    friend_ids = list(
        Friendship.objects.filter(user=viewer, friend__leaderboard_friends=True).values_list(
            "friend_id", flat=True
        )
    )
    me = str(viewer.pk)
    shown = audience.members(user_ids=[me, *map(str, friend_ids)])
    ids = [u for u in shown if u == me or shown[u].on_friends]
    keys = [
        store.ready_key(window.key),
        store.key(window.key, "ev"),
        store.key(window.key, "min"),
        store.streak_key(),
    ]
    _ready, packed, my_score = _run_ready(
        _friends_script(store.board_redis()), window, keys, [me, *ids]
    )
    rows, extras = _unpack(packed)
    my_xp = _score_of(window, viewer.pk, my_score or None)
    ordered = sorted(rows, key=lambda pair: (-pair[1], pair[0]))
    others_above = sum(1 for u, xp in ordered if xp > my_xp and u != me)
    page.me = {"rank": 1 + others_above, "xp": my_xp}
    ranked = _competition_ranks(ordered, 1)[offset : offset + PAGE_SIZE]
    page.entries = _entries(ranked, viewer, "friends", extras, shown)
    if offset + PAGE_SIZE < len(ordered):
        page.next = cursor_encode(offset + PAGE_SIZE)


def _entries(ranked, viewer: User, scope: str, extras: dict, shown=None) -> list[dict]:
    """Board rows, each user re-checked against the database: nobody hidden slips through."""
    me = str(viewer.pk)
    shown = shown if shown is not None else audience.members(user_ids=[r[0] for r in ranked])
    visible = [row for row in ranked if _may_show(shown.get(row[0]), scope, me)]
    if _pseudonyms_for([shown[row[0]] for row in visible]):
        shown = audience.members(user_ids=[row[0] for row in visible])
    streaks = _streaks([shown[row[0]] for row in visible], me, extras)
    entries = []
    for user_id, xp, rank in visible:
        member = shown[user_id]
        entries.append(
            {
                "rank": rank,
                "display_name": _name(member, scope),
                "avatar_url": _avatar(member, scope),
                "xp": xp,
                "streak": streaks.get(user_id),
                "minutes": extras.get(user_id, (0, None))[0],
                "is_me": user_id == me,
            }
        )
    return entries


def _may_show(member, scope: str, me: str) -> bool:
    if member is None:
        return False
    if scope == "global":
        return member.visibility != "hidden"
    if scope == "company":
        return member.on_company
    return member.user_id == me or member.on_friends


def _pseudonyms_for(shown) -> bool:
    """Numbers for those shown without one yet (a first appearance); True when any was new."""
    missing = [UUID(m.user_id) for m in shown if m.pseudonym is None]
    if missing:
        from social.services.boards import pseudonyms_ensure

        pseudonyms_ensure(user_ids=missing)
    return bool(missing)


def _name(member, scope: str) -> str:
    if scope == "global":
        return member.name_for_global()
    return member.display_name or member.pseudonym or "Anonymous"


def _avatar(member, scope: str) -> str | None:
    if scope == "global" and member.visibility != "named":
        return None
    return member.avatar_url or None


def _streaks(shown, me: str, extras: dict) -> dict[str, int]:
    """Current streaks, only of those who share them (and the viewer's own).

    Runs are cached in Redis by the sync refresh; a run not cached yet is read and cached.
    """
    sharing = [m for m in shown if m.share_streaks or m.user_id == me]
    runs = {m.user_id: extras.get(m.user_id, (0, None))[1] for m in sharing}
    missing = [UUID(user_id) for user_id, run in runs.items() if run is None]
    if missing:
        from social.services.boards import streak_runs_cache

        runs.update({str(k): v for k, v in streak_runs_cache(user_ids=missing).items()})
    streaks = {}
    now = timezone.now()
    todays: dict[str, date] = {}
    for member in sharing:
        last, _sep, length = (runs.get(member.user_id) or "").partition(":")
        if member.timezone not in todays:
            todays[member.timezone] = now.astimezone(_zone(member.timezone)).date()
        current = last and date.fromisoformat(last) >= todays[member.timezone] - timedelta(days=1)
        streaks[member.user_id] = int(length) if current else 0
    return streaks


@cache
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
