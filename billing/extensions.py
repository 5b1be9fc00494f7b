"""Where a higher app tells billing what billing may not look up itself (STYLE.md, "floors").

Billing sits below progression, so it never imports it; the upgrade offer still depends on the
person's level. Progression fills `level_sources` in its `AppConfig.ready()` with a function
`(user) -> level number`; billing owns everything else about the offer (the ladder in
`billing/plans.py`, who already has what, dismissals). With no source registered there is no
offer, and nothing else changes.
"""

from collections.abc import Callable
from typing import Any

LevelSource = Callable[[Any], int]

level_sources: list[LevelSource] = []


def level_for(user) -> int | None:
    """The person's level as the registered app knows it, or None when no app says."""
    levels = [source(user) for source in level_sources]
    return max(levels) if levels else None
