"""Reading a leaderboard: one page, competition ranks, and the viewer's own place."""

import base64
import binascii
from dataclasses import dataclass, field
from uuid import UUID

from rest_framework import status

from accounts.models import User
from breathmaster.api.errors import ApplicationError
from progression import selectors as progression_selectors
from progression.selectors.boards import board_scores, current_streaks
from social.leaderboards import store
from social.leaderboards.windows import PERIODS, Window, utc_today
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
    from social.services.boards import window_ensure

    window = window_ensure(period=period, day=utc_today())
    page = BoardPage(scope=scope, period=period)
    if scope == "friends":
        _friends_board(page, window, viewer, offset)
    else:
        _ranked_board(page, window, viewer, offset)
    return page


def _score_of(window: Window, user_id, score=None) -> int:
    """The user's XP in the window: from the set, or (banned, so not in it) the database."""
    if score is None:
        score = store.board_redis().zscore(store.key(window.key, "ev"), str(user_id))
    if score is not None:
        return int(score)
    found = board_scores(first=window.first, last=window.last, user_ids=[user_id])
    return next((xp for _user, xp, _minutes in found), 0)


def _ranked_board(page: BoardPage, window: Window, viewer: User, offset: int) -> None:
    if page.scope == "company":
        domain = audience.company_domain_of(user=viewer)
        if domain is None:
            return
        board = store.key(window.key, f"co:{domain}")
    else:
        board = store.key(window.key, "global")
    client = store.board_redis()
    pipe = client.pipeline(transaction=False)
    pipe.zrevrange(board, offset, offset + PAGE_SIZE - 1, withscores=True)
    pipe.zscore(store.key(window.key, "ev"), str(viewer.pk))
    pipe.zcard(board)
    rows, my_score, size = pipe.execute()
    my_xp = _score_of(window, viewer.pk, my_score)
    above = client.zcount(board, f"({my_xp}", "+inf")
    page.me = {"rank": above + 1, "xp": my_xp}
    if not rows:
        return
    first_rank = client.zcount(board, f"({rows[0][1]}", "+inf") + 1
    ranked = _competition_ranks(rows, first_rank)
    page.entries = _entries(ranked, window, viewer, scope=page.scope)
    if offset + PAGE_SIZE < size:
        page.next = cursor_encode(offset + PAGE_SIZE)


def _competition_ranks(rows, first_rank: int) -> list[tuple[UUID, int, int]]:
    """`(user_id, xp, rank)`: equal XP share a rank, the next rank skips (1, 2, 2, 4)."""
    ranked = []
    for index, (member, score) in enumerate(rows):
        xp = int(score)
        rank = ranked[-1][2] if index and xp == ranked[-1][1] else first_rank + index
        ranked.append((UUID(member), xp, rank))
    return ranked


def _friends_board(page: BoardPage, window: Window, viewer: User, offset: int) -> None:
    friend_ids = list(
        Friendship.objects.filter(user=viewer, friend__leaderboard_friends=True).values_list(
            "friend_id", flat=True
        )
    )
    shown = audience.members(user_ids=[viewer.pk, *friend_ids])
    ids = [user_id for user_id in shown if user_id == viewer.pk or shown[user_id].on_friends]
    client = store.board_redis()
    scores = client.zmscore(store.key(window.key, "ev"), [str(u) for u in ids]) if ids else []
    ordered = sorted(
        ((user_id, int(score or 0)) for user_id, score in zip(ids, scores, strict=True)),
        key=lambda pair: (-pair[1], str(pair[0])),
    )
    my_xp = _score_of(window, viewer.pk)
    page.me = {
        "rank": 1 + sum(1 for u, xp in ordered if xp > my_xp and u != viewer.pk),
        "xp": my_xp,
    }
    ranked = _competition_ranks([(str(u), xp) for u, xp in ordered], 1)
    page.entries = _entries(ranked[offset : offset + PAGE_SIZE], window, viewer, "friends", shown)
    if offset + PAGE_SIZE < len(ranked):
        page.next = cursor_encode(offset + PAGE_SIZE)


def _entries(ranked, window: Window, viewer: User, scope: str, shown=None) -> list[dict]:
    """Board rows, each user re-checked against the database: nobody hidden slips through."""
    ids = [user_id for user_id, _xp, _rank in ranked]
    shown = shown if shown is not None else audience.members(user_ids=ids)
    visible = [row for row in ranked if _may_show(shown.get(row[0]), scope, viewer)]
    if _pseudonyms_for([shown[row[0]] for row in visible]):
        shown = audience.members(user_ids=[row[0] for row in visible])
    minutes = _minutes(window, [row[0] for row in visible])
    streaks = _streaks([shown[row[0]] for row in visible], viewer)
    return [
        {
            "rank": rank,
            "display_name": _name(shown[user_id], scope, viewer),
            "avatar_url": _avatar(shown[user_id], scope, viewer),
            "xp": xp,
            "streak": streaks.get(user_id),
            "minutes": minutes.get(user_id, 0),
            "is_me": user_id == viewer.pk,
        }
        for user_id, xp, rank in visible
    ]


def _may_show(member, scope: str, viewer: User) -> bool:
    if member is None:
        return False
    if scope == "global":
        return member.visibility != "hidden"
    if scope == "company":
        return member.on_company
    return member.user_id == viewer.pk or member.on_friends


def _pseudonyms_for(shown) -> bool:
    """Numbers for those shown without one yet (a first appearance); True when any was new."""
    missing = [m.user_id for m in shown if m.pseudonym is None]
    if missing:
        from social.services.boards import pseudonyms_ensure

        pseudonyms_ensure(user_ids=missing)
    return bool(missing)


def _name(member, scope: str, viewer: User) -> str:
    if scope == "global":
        return member.name_for_global()
    return member.display_name or member.pseudonym or "Anonymous"


def _avatar(member, scope: str, viewer: User) -> str | None:
    if scope == "global" and member.visibility != "named":
        return None
    return member.avatar_url or None


def _minutes(window: Window, ids: list[UUID]) -> dict[UUID, int]:
    if not ids:
        return {}
    values = store.board_redis().hmget(store.key(window.key, "min"), [str(u) for u in ids])
    return {user_id: int(value or 0) for user_id, value in zip(ids, values, strict=True)}


def _streaks(shown, viewer: User) -> dict[UUID, int | None]:
    """Current streaks, only of those who share them (and the viewer's own)."""
    sharing = [m for m in shown if m.share_streaks or m.user_id == viewer.pk]
    todays = {
        m.user_id: progression_selectors.user_today(User(timezone=m.timezone)) for m in sharing
    }
    return current_streaks(todays=todays)
