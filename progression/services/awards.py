"""XP the server itself grants (challenge rewards): once per user and reason."""

from django.db import connection, transaction

from accounts.models import User
from breathmaster.api.errors import ApplicationError
from progression.models import ServerAward
from progression.selectors import state_facts
from progression.services.announce import levels_announce
from progression.services.state import _state_bump, _state_lock

_REASON_MAX_LENGTH = ServerAward._meta.get_field("reason").max_length
_XP_MAX = 2_000_000_000

_GRANT_SQL = """
    INSERT INTO progression_serveraward (user_id, xp, reason, created_at)
    VALUES (%s, %s, %s, now())
    ON CONFLICT (user_id, reason) DO NOTHING
    RETURNING 1
"""


def award_grant(*, user: User, xp: int, reason: str) -> bool:
    """Grant `xp` to `user` for `reason` (e.g. "challenge:<id>") once; True when this call did.

    Idempotent: the same reason again, from any process at any time, grants nothing and
    answers False. A grant counts in totalXP, levels and `/sync/state`, bumps syncVersion, and
    announces `level_reached` for each level it lifts the user to (after commit).
    """
    if isinstance(xp, bool) or not isinstance(xp, int) or not 0 < xp <= _XP_MAX:
        raise ApplicationError("An award is a positive whole number of XP.", code="invalid_award")
    if not isinstance(reason, str) or not 0 < len(reason) <= _REASON_MAX_LENGTH or "\0" in reason:
        raise ApplicationError("An award needs a short reason.", code="invalid_award")
    with transaction.atomic():
        state = _state_lock(user)
        with connection.cursor() as cursor:
            cursor.execute(_GRANT_SQL, [user.pk, xp, reason])
            granted = cursor.fetchone() is not None
        if granted:
            _state_bump(state)
            total_xp = state_facts(user=user).total_xp
            levels_announce(user=user, total_xp=total_xp, announced=state.level_announced)
    return granted
