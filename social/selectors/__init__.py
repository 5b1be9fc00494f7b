"""Reads of the social app, by sub-domain; other code imports from here.

- `friends`: friends, what each shares, requests. - `audience`: who may be ranked or shown,
  companies from verified non-free domains. - `boards`: leaderboard pages. - `challenges`:
  visibility, progress from synced days, the challenge board. - `export`: the data export.
"""

from social.selectors.audience import company_domain_of, is_free_mail_domain, name_visible_to
from social.selectors.boards import leaderboard_page, sync_required
from social.selectors.challenges import (
    challenge_board,
    challenge_list,
    challenge_participation,
    challenge_summary,
    challenge_visible,
    challenges_shared_with_friends,
    challenges_visible_to,
    progress_for,
)
from social.selectors.export import export_for_user
from social.selectors.friends import (
    are_friends,
    friend_ids_of,
    friend_list,
    friend_request_for,
    friend_requests_received,
    friend_requests_sent,
    friends_of,
    is_blocked_between,
)

__all__ = [
    "are_friends",
    "challenge_board",
    "challenge_list",
    "challenge_participation",
    "challenge_summary",
    "challenge_visible",
    "challenges_shared_with_friends",
    "challenges_visible_to",
    "company_domain_of",
    "export_for_user",
    "friend_ids_of",
    "friend_list",
    "friend_request_for",
    "friend_requests_received",
    "friend_requests_sent",
    "friends_of",
    "is_blocked_between",
    "is_free_mail_domain",
    "leaderboard_page",
    "name_visible_to",
    "progress_for",
    "sync_required",
]
