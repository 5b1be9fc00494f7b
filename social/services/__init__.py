"""Writes of the social app, by sub-domain; other code imports from here.

- `friends`: requests (mutual ones accept at once), friendships, blocks.
- `challenges`: creating within the plan's limit, joining, leaving, cheering.
- `rewards`: completions, closing ended challenges with their XP once, friends' feed events.
- `boards`: keeping the Redis leaderboards in step with the database (`social.leaderboards`).
- `moderation`: reports, and staff's recorded actions on them.
"""

from social.services.boards import (
    board_user_remove,
    board_users_refresh,
    pseudonyms_ensure,
    rebuild_window,
    window_ensure,
)
from social.services.challenges import (
    challenge_create,
    challenge_create_by_user,
    challenge_join,
    challenge_leave,
    cheer_send,
)
from social.services.friends import (
    friend_request_accept,
    friend_request_decline,
    friend_request_send,
    friendship_end,
    invalid_friend_code,
    user_block,
)
from social.services.moderation import (
    board_ban,
    board_unban,
    challenge_hide,
    challenge_report,
    display_name_report,
    display_name_reset,
    report_resolve,
)
from social.services.refresh_queue import board_refresh_later, board_refresh_pending
from social.services.rewards import (
    challenge_completions_refresh,
    challenges_close_ended,
    level_up_announce,
)

__all__ = [
    "board_refresh_later",
    "board_refresh_pending",
    "board_ban",
    "board_unban",
    "board_user_remove",
    "board_users_refresh",
    "challenge_completions_refresh",
    "challenge_create",
    "challenge_create_by_user",
    "challenge_hide",
    "challenge_join",
    "challenge_leave",
    "challenge_report",
    "challenges_close_ended",
    "cheer_send",
    "display_name_report",
    "display_name_reset",
    "friend_request_accept",
    "friend_request_decline",
    "friend_request_send",
    "friendship_end",
    "invalid_friend_code",
    "level_up_announce",
    "pseudonyms_ensure",
    "rebuild_window",
    "report_resolve",
    "user_block",
    "window_ensure",
]
