"""The user's SyncState row: the lock that serialises a user's writes, and its version."""

from django.db import connection
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from progression.models import SyncState

_STATE_FIELDS = [field.attname for field in SyncState._meta.concrete_fields]
_STATE_LOCK_SQL = f"""
    SELECT {", ".join(_STATE_FIELDS)} FROM progression_syncstate WHERE user_id = %s FOR UPDATE
"""
_STATE_CREATE_SQL = """
    INSERT INTO progression_syncstate
        (user_id, sync_version, last_modified, longest_streak_folded, streak_carry_length,
         level_announced)
    VALUES (%s, 0, %s, 0, 0, 1)
    ON CONFLICT (user_id) DO NOTHING
"""


def _state_lock(user: User) -> SyncState:
    """Lock the user's SyncState row, creating it first when the user has none.

    (progression_sync_merge() takes the same lock; an import takes it first, so its session
    claims see the previous import's.) Two first writes at once: the second INSERT waits for
    the first and does nothing, and its SELECT then waits for the first's lock.
    """
    with connection.cursor() as cursor:
        cursor.execute(_STATE_LOCK_SQL, [user.pk])
        row = cursor.fetchone()
        if row is None:
            # A new row starts at the account's creation, as the state reads before any write.
            cursor.execute(_STATE_CREATE_SQL, [user.pk, user.date_joined])
            cursor.execute(_STATE_LOCK_SQL, [user.pk])
            row = cursor.fetchone()
    values = dict(zip(_STATE_FIELDS, row, strict=True))
    # A plain cursor leaves jsonb as text (Django's loader); the field decodes it as the ORM would.
    preferences = SyncState._meta.get_field("preferences_value")
    values["preferences_value"] = preferences.from_db_value(
        values["preferences_value"], None, connection
    )
    return SyncState.from_db(connection.alias, _STATE_FIELDS, list(values.values()))


def _state_bump(state: SyncState) -> None:
    """A change outside the merge (a server award) bumps the version like any other."""
    state.sync_version += 1
    state.last_modified = timezone.now()
    SyncState.objects.filter(pk=state.pk).update(
        sync_version=F("sync_version") + 1, last_modified=state.last_modified
    )
