"""progression_sync_upload(): one device's upload merged in one call (PostgreSQL only).

The upload used to be five round trips: BEGIN, lock the user's SyncState row, the merge
statement, COMMIT (and the row lock's own WAL flush). As a function it is one statement in its
own transaction: lock, check, merge, bump the version and flag unusual days. Each statement in
it takes a fresh snapshot after the lock, exactly as the separate statements did.

It answers false, changing nothing but creating the SyncState row, when the upload needs the
step-by-step path in progression.services: a fold is due (the retention horizon moved, or a day
sent lies before it), or different preferences tie on modifiedAt (the tie is broken on
canonical JSON, which Python writes).

To change it, add a migration with CREATE OR REPLACE FUNCTION; never edit this one.
"""

from django.db import migrations

CREATE_SQL = r"""
CREATE OR REPLACE FUNCTION progression_sync_upload(
    p_user uuid,
    p_device uuid,
    p_joined timestamptz,
    p_horizon date,
    p_now timestamptz,
    p_dates date[],
    p_xp integer[],
    p_sessions integer[],
    p_minutes integer[],
    p_base_xp bigint,
    p_base_sessions bigint,
    p_base_minutes bigint,
    p_kinds text[],
    p_keys text[],
    p_preferences jsonb,
    p_preferences_at timestamptz,
    p_flag_min_xp integer,
    p_flag_window integer,
    p_flag_min_history integer,
    p_flag_factor double precision
) RETURNS boolean
LANGUAGE plpgsql
AS $function$
DECLARE
    state progression_syncstate%ROWTYPE;
BEGIN
    -- The user's lock; a first write creates the row, starting at the account's creation.
    SELECT * INTO state FROM progression_syncstate WHERE user_id = p_user FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO progression_syncstate
            (user_id, sync_version, last_modified, longest_streak_folded, streak_carry_length)
        VALUES (p_user, 0, p_joined, 0, 0)
        ON CONFLICT (user_id) DO NOTHING;
        SELECT * INTO state FROM progression_syncstate WHERE user_id = p_user FOR UPDATE;
    END IF;

    IF state.folded_horizon IS NULL OR p_horizon > state.folded_horizon
            OR p_horizon > ANY (p_dates)
            OR (p_preferences_at = state.preferences_modified_at
                AND p_preferences IS DISTINCT FROM state.preferences_value) THEN
        RETURN false;
    END IF;
    IF p_preferences_at <= state.preferences_modified_at THEN
        -- Last writer wins on modifiedAt: the stored value again, or an older one, changes
        -- nothing (devices send their preferences with every upload).
        p_preferences := NULL;
        p_preferences_at := NULL;
    END IF;

    -- The user's days as they stand after the day upsert: a statement does not see its own
    -- writes, so the rows it rewrote come from its RETURNING instead. Exact because the lock
    -- keeps every other write of the user's out meanwhile.
    WITH written AS (
        INSERT INTO progression_deviceday AS d (user_id, device_id, date, xp, sessions, minutes)
        SELECT p_user, p_device, n.date, n.xp, n.sessions, n.minutes
        FROM unnest(p_dates, p_xp, p_sessions, p_minutes) AS n(date, xp, sessions, minutes)
        WHERE n.date > COALESCE(
            (SELECT b.folded_through FROM progression_devicebaseline b
             WHERE b.user_id = p_user AND b.device_id = p_device),
            '-infinity'::date)
        ON CONFLICT (user_id, device_id, date) DO UPDATE SET
            xp = GREATEST(d.xp, EXCLUDED.xp),
            sessions = GREATEST(d.sessions, EXCLUDED.sessions),
            minutes = GREATEST(d.minutes, EXCLUDED.minutes)
        WHERE EXCLUDED.xp > d.xp OR EXCLUDED.sessions > d.sessions
            OR EXCLUDED.minutes > d.minutes
        RETURNING d.date, d.xp, d.sessions
    ), baseline AS (
        INSERT INTO progression_devicebaseline AS b (user_id, device_id, xp, sessions, minutes,
            folded_xp, folded_sessions, folded_minutes)
        SELECT p_user, p_device, p_base_xp, p_base_sessions, p_base_minutes, 0, 0, 0
        WHERE p_base_xp + p_base_sessions + p_base_minutes > 0
        ON CONFLICT (user_id, device_id) DO UPDATE SET
            xp = GREATEST(b.xp, EXCLUDED.xp),
            sessions = GREATEST(b.sessions, EXCLUDED.sessions),
            minutes = GREATEST(b.minutes, EXCLUDED.minutes)
        WHERE EXCLUDED.xp > b.xp OR EXCLUDED.sessions > b.sessions
            OR EXCLUDED.minutes > b.minutes
        RETURNING 1
    ), unlocked AS (
        INSERT INTO progression_unlock (user_id, kind, key, created_at)
        SELECT p_user, u.kind, u.key, p_now
        FROM unnest(p_kinds, p_keys) AS u(kind, key)
        ON CONFLICT (user_id, kind, key) DO NOTHING
        RETURNING 1
    ), bumped AS (
        UPDATE progression_syncstate SET
            sync_version = sync_version + 1,
            last_modified = p_now,
            preferences_value = COALESCE(p_preferences, preferences_value),
            preferences_modified_at = COALESCE(p_preferences_at, preferences_modified_at)
        WHERE user_id = p_user AND (
            p_preferences_at IS NOT NULL
            OR EXISTS (SELECT 1 FROM written)
            OR EXISTS (SELECT 1 FROM baseline)
            OR EXISTS (SELECT 1 FROM unlocked))
        RETURNING 1
    ), after AS (
        SELECT d.date, d.xp, d.sessions FROM progression_deviceday d
        WHERE d.user_id = p_user
            AND d.date >= (SELECT MIN(w.date) FROM written w) - p_flag_window
            AND d.date <= (SELECT MAX(w.date) FROM written w)
            AND NOT (d.device_id IS NOT DISTINCT FROM p_device
                     AND d.date IN (SELECT w.date FROM written w))
        UNION ALL
        SELECT w.date, w.xp, w.sessions FROM written w
    ), candidate AS (
        SELECT a.date, SUM(a.xp) AS xp FROM after a
        WHERE a.date IN (SELECT w.date FROM written w)
        GROUP BY a.date HAVING SUM(a.xp) > p_flag_min_xp
    ), history AS (
        SELECT c.date, c.xp, h.day_xp FROM candidate c
        LEFT JOIN LATERAL (
            SELECT SUM(a.xp) AS day_xp FROM after a
            WHERE a.sessions > 0 AND a.date >= c.date - p_flag_window AND a.date < c.date
            GROUP BY a.date
        ) h ON true
    ), checked AS (
        SELECT date, xp, COUNT(day_xp) AS days,
            COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY day_xp), 0) AS median
        FROM history GROUP BY date, xp
    )
    -- Days far above the user's own recent median stay stored, flagged for staff.
    INSERT INTO progression_syncflag (user_id, date, day_xp, median_xp, reason, created_at)
    SELECT p_user, c.date, c.xp, c.median,
        format('%s XP against a median of %s over the %s days before', c.xp, c.median, c.days),
        p_now
    FROM checked c
    WHERE c.days >= p_flag_min_history AND c.xp > p_flag_factor * c.median
    ON CONFLICT DO NOTHING;
    RETURN true;
END;
$function$
"""

DROP_SQL = """
DROP FUNCTION IF EXISTS progression_sync_upload(uuid, uuid, timestamptz, date, timestamptz,
    date[], integer[], integer[], integer[], bigint, bigint, bigint, text[], text[], jsonb,
    timestamptz, integer, integer, integer, double precision)
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        # The SQLite fallback of `make run` merges through the ORM (progression.portable).
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("progression", "0002_imported_session_device"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE_SQL), _on_postgresql(DROP_SQL)),
    ]
