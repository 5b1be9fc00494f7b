"""Telling the apps above what a write did (progression.events), after it commits."""

from django.db import connection

from accounts.models import User
from progression.events import announce_on_commit, days_changed, level_reached
from progression.levels import level_number_for_xp, title_for_level
from progression.selectors import sync_state_for
from progression.services.payload import MergeOutcome

# Claims the levels up to `level` for announcing: of writes that lift the level at once, only
# one gets the row back, so each level is announced once. Answers the level announced before.
_LEVEL_CLAIM_SQL = """
    UPDATE progression_syncstate s SET level_announced = %(level)s
    FROM (SELECT user_id, level_announced FROM progression_syncstate
          WHERE user_id = %(user)s FOR UPDATE) AS before
    WHERE s.user_id = before.user_id AND before.level_announced < %(level)s
    RETURNING before.level_announced
"""


def levels_announce(*, user: User, total_xp: int, announced: int) -> None:
    """`level_reached` for each level above the one last announced, once each.

    Costs a statement only when the level rose. A user whose announced level is not known yet
    (0: state kept before levels were announced) has it set without announcing.
    """
    level = level_number_for_xp(total_xp)
    if level <= announced:
        return
    with connection.cursor() as cursor:
        cursor.execute(_LEVEL_CLAIM_SQL, {"user": user.pk, "level": level})
        row = cursor.fetchone()
    if row is None or row[0] == 0:
        return
    previous = row[0]
    for number in range(previous + 1, level + 1):
        announce_on_commit(
            level_reached,
            user_id=user.pk,
            level=number,
            title=title_for_level(number),
            previous_level=previous,
        )


def progress_announce(*, user: User, outcome: MergeOutcome, answer: dict | None = None) -> dict:
    """Announce what a merge changed; answers the user's state (`sync_state_for`), read now
    unless the caller read it with the merge (`answer`)."""
    if answer is None:
        answer = sync_state_for(user=user)
    if outcome.counters_changed:
        announce_on_commit(days_changed, user_id=user.pk, dates=outcome.dates)
    levels_announce(
        user=user, total_xp=answer["state"]["totalXP"], announced=outcome.level_announced
    )
    return answer
