"""Where higher apps add to the web dashboard, which must never import them (STYLE.md, floors).

The dashboard owns the look (templates/progression/sections/); a higher app only provides the
facts, in its `AppConfig.ready()`:

    from progression import dashboard_sections

    dashboard_sections.provide_community_rank(social.selectors.dashboard_rank)
    dashboard_sections.provide_active_challenges(social.selectors.dashboard_challenges)

- `community_rank(user)` -> a `CommunityRank`, or None when the user does not share their place
  on any board (then the dashboard shows no rank at all).
- `active_challenges(user)` -> the challenges the user has joined and that are still running,
  as `ChallengeProgress`, soonest ending first (an empty list shows a calm empty state).

Each runs inside the dashboard's request: keep it to a query or two, whatever the history.
Until a provider is registered, its card is simply not shown; a provider that fails (the
boards' Redis away) is logged and its card left out, so the person still sees their practice.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CommunityRank:
    rank: int
    scope: str  # "global", "friends" or "company"
    period: str  # "week", "month" or "all"
    shown_as: str  # the name others see: a display name or Anonymous_NNNN
    url: str | None = None  # the board's page, when there is one


@dataclass(frozen=True)
class ChallengeProgress:
    title: str
    metric: str  # totalMinutes, streak, sessions or consistency
    current: int
    target: int
    completed: bool
    ends_at: datetime
    url: str | None = None

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.current / self.target)) if self.target else 100


_providers: dict[str, Callable[[Any], Any]] = {}


def provide_community_rank(provider: Callable[[Any], CommunityRank | None]) -> None:
    _providers["community_rank"] = provider


def provide_active_challenges(provider: Callable[[Any], list[ChallengeProgress]]) -> None:
    _providers["active_challenges"] = provider


def community_rank_for(user) -> tuple[bool, CommunityRank | None]:
    """(whether a provider answered, the rank it gives)."""
    return _ask("community_rank", user, None)


def active_challenges_for(user) -> tuple[bool, list[ChallengeProgress]]:
    """(whether a provider answered, the challenges it gives)."""
    shown, challenges = _ask("active_challenges", user, [])
    return shown, list(challenges)


def _ask(name: str, user, nothing):
    provider = _providers.get(name)
    if provider is None:
        return False, nothing
    try:
        return True, provider(user)
    except Exception:
        logger.exception("The dashboard's %s section could not be read", name)
        return False, nothing
