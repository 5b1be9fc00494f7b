-- The sync rules of CONTRACT.md "Sync", written once: every write of a user's progress
-- (an upload, an import, the daily fold) is one call to progression_sync_merge().
--
-- (Re)installed after every `migrate` (progression.sql, from progression's AppConfig), so
-- changing a rule is one edit here; no migration holds a copy. The thresholds
-- come from progression/rules.py, passed in as `p_rules`.

-- Canonical JSON: compact, object keys sorted by code point, as Python's
-- json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False) writes it.
-- The preferences tie-break compares it, so the result never depends on arrival order.
CREATE OR REPLACE FUNCTION progression_canonical_json(p_value jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $function$
BEGIN
    CASE jsonb_typeof(p_value)
    WHEN 'object' THEN
        RETURN '{' || COALESCE((
            SELECT string_agg(to_jsonb(e.key)::text || ':' || progression_canonical_json(e.value),
                              ',' ORDER BY e.key COLLATE "C")
            FROM jsonb_each(p_value) AS e), '') || '}';
    WHEN 'array' THEN
        RETURN '[' || COALESCE((
            SELECT string_agg(progression_canonical_json(a.value), ',' ORDER BY a.n)
            FROM jsonb_array_elements(p_value) WITH ORDINALITY AS a(value, n)), '') || ']';
    ELSE
        RETURN p_value::text;
    END CASE;
END;
$function$;


-- Runs of consecutive active days (gaps and islands: a run's days minus their row numbers are
-- constant). The first run continues a folded run that ended the day before it, so it is
-- `p_carry_length` longer. The state statement and the fold both read streaks from here;
-- progression/streaks.py is the same in Python (held equal by a property test).
-- PL/pgSQL, not SQL: called with a subquery argument, a SQL function is never inlined and is
-- planned again on every call (0.3 ms of the state statement's 0.6); PL/pgSQL keeps its plan.
CREATE OR REPLACE FUNCTION progression_streak_runs(
    p_active date[], p_carry_end date, p_carry_length integer
) RETURNS TABLE (first_day date, last_day date, length integer)
LANGUAGE plpgsql IMMUTABLE AS $function$
BEGIN
    RETURN QUERY
    SELECT i.first_day, i.last_day, i.days + CASE
        WHEN i.first_day = MIN(i.first_day) OVER () AND i.first_day = p_carry_end + 1
        THEN p_carry_length ELSE 0 END
    FROM (
        SELECT MIN(a.d) AS first_day, MAX(a.d) AS last_day, COUNT(*)::integer AS days
        FROM (
            SELECT n.d, n.d - (ROW_NUMBER() OVER (ORDER BY n.d))::integer AS island
            FROM (SELECT DISTINCT unnest(p_active) AS d) AS n
        ) AS a
        GROUP BY a.island
    ) AS i;
END;
$function$;


-- One write of one source's progress (p_device: the device, or an import's source), in one
-- transaction under the user's lock. Numbered as it runs:
--  1. Judge the baseline against the span it claims (from the extension's first-seen date,
--     else the first known day, to today): impossible answers `refused` and stores nothing.
--  2. Lock the user's SyncState row (a first write creates it, at the account's creation).
--  3. Days: field-wise maximum per (device, date); days up to the device's folded horizon
--     are ignored (they were counted when folded).
--  4. Baseline: field-wise maximum; one above the usual for its minutes and span is flagged
--     for staff (kept, counted on no board until cleared).
--  5. An import's sessions on days already folded add to the folded totals (each counted once
--     by the caller's session claims).
--  6. Sets (achievements, patterns, presets, completed challenges): union.
--  7. Preferences: last writer wins on modifiedAt; a tie goes to the greater canonical JSON.
--  8. Fold, when due (the retention horizon moved, or a day written lies before it): keep the
--     streak facts the old days leave, then move the days into their sources' folded totals.
--  9. Flag written days far above the user's own recent median (stored, counted nowhere).
-- 10. Any change bumps syncVersion (and only a change).
-- Answers whether the baseline was refused (then nothing else), whether anything changed,
-- whether counters did, the dates whose counters changed (written or folded), whether a fold
-- ran, and the level last announced for the user.
-- Dropped first so its answer's shape may change too (the whole file runs as one transaction).
DROP FUNCTION IF EXISTS progression_sync_merge;
CREATE FUNCTION progression_sync_merge(
    p_user uuid,
    p_device uuid,
    p_joined timestamptz,
    p_today date,
    p_horizon date,
    p_now timestamptz,
    p_first_seen date,
    p_dates date[],
    p_xp integer[],
    p_sessions integer[],
    p_minutes integer[],
    p_base_xp bigint,
    p_base_sessions bigint,
    p_base_minutes bigint,
    p_late_xp bigint,
    p_late_sessions bigint,
    p_late_minutes bigint,
    p_kinds text[],
    p_keys text[],
    p_preferences jsonb,
    p_preferences_at timestamptz,
    p_rules jsonb
) RETURNS TABLE (
    refused boolean, changed boolean, counters_changed boolean, changed_dates date[],
    folded boolean, level_announced integer
)
LANGUAGE plpgsql AS $function$
DECLARE
    state progression_syncstate%ROWTYPE;
    v_written date[] := '{}';
    v_folded date[] := '{}';
    v_counters boolean := false;
    v_changed boolean := false;
    v_fold boolean := false;
    v_rows integer;
    v_first date;
    v_span integer;
    v_usual bigint;
    v_last_folded date;
    v_longest integer;
    v_first_run date;
    v_carry integer;
BEGIN
    -- 1. The baseline against the span it claims, before anything is written (the first
    --    known day only moves earlier, so reading it before the lock is safe).
    IF p_base_xp + p_base_sessions + p_base_minutes > 0 THEN
        v_first := LEAST(
            CASE WHEN p_first_seen IS NOT NULL
                THEN GREATEST(p_first_seen, (p_rules->>'earliest_first_seen')::date) END,
            (SELECT s.first_active_date FROM progression_syncstate s WHERE s.user_id = p_user),
            (SELECT MIN(d.date) FROM progression_deviceday d WHERE d.user_id = p_user),
            (SELECT MIN(n) FROM unnest(p_dates) AS n),
            p_today);
        v_span := p_today - v_first + 1;
        IF p_base_minutes > (p_rules->>'max_minutes_per_day')::bigint * v_span
                OR p_base_xp > (p_rules->>'max_xp_per_minute')::bigint * p_base_minutes
                    + (p_rules->>'max_xp_per_day_extra')::bigint * v_span THEN
            RETURN QUERY SELECT true, false, false, '{}'::date[], false, 0;
            RETURN;
        END IF;
    END IF;

    -- 2. The user's lock.
    SELECT * INTO state FROM progression_syncstate s WHERE s.user_id = p_user FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO progression_syncstate AS s (user_id, sync_version, last_modified,
            longest_streak_folded, streak_carry_length, level_announced)
        VALUES (p_user, 0, p_joined, 0, 0, 1)
        ON CONFLICT (user_id) DO NOTHING;
        SELECT * INTO state FROM progression_syncstate s WHERE s.user_id = p_user FOR UPDATE;
    END IF;

    -- 3. Days.
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
        RETURNING d.date
    )
    SELECT COALESCE(array_agg(w.date ORDER BY w.date), '{}') INTO v_written FROM written w;
    v_counters := cardinality(v_written) > 0;

    -- 4. Baseline.
    IF p_base_xp + p_base_sessions + p_base_minutes > 0 THEN
        INSERT INTO progression_devicebaseline AS b (user_id, device_id, xp, sessions, minutes,
            folded_xp, folded_sessions, folded_minutes)
        VALUES (p_user, p_device, p_base_xp, p_base_sessions, p_base_minutes, 0, 0, 0)
        ON CONFLICT (user_id, device_id) DO UPDATE SET
            xp = GREATEST(b.xp, EXCLUDED.xp),
            sessions = GREATEST(b.sessions, EXCLUDED.sessions),
            minutes = GREATEST(b.minutes, EXCLUDED.minutes)
        WHERE EXCLUDED.xp > b.xp OR EXCLUDED.sessions > b.sessions
            OR EXCLUDED.minutes > b.minutes;
        GET DIAGNOSTICS v_rows = ROW_COUNT;
        IF v_rows > 0 THEN
            v_counters := true;
            v_usual := (p_rules->>'baseline_flag_xp_per_minute')::bigint * p_base_minutes
                + (p_rules->>'baseline_flag_xp_per_day_extra')::bigint * v_span;
            IF p_base_xp > v_usual THEN
                INSERT INTO progression_syncflag AS f (user_id, kind, device_id, day_xp,
                    median_xp, reason, created_at)
                VALUES (p_user, 'baseline', p_device, p_base_xp, v_usual,
                    format('a baseline of %s XP in %s minutes over the %s days since %s, '
                        'above the usual %s', p_base_xp, p_base_minutes, v_span, v_first,
                        v_usual),
                    p_now)
                ON CONFLICT DO NOTHING;
            END IF;
        END IF;
    END IF;

    -- 5. An import's sessions on days already folded.
    IF p_late_xp + p_late_sessions + p_late_minutes > 0 THEN
        UPDATE progression_devicebaseline b SET
            folded_xp = b.folded_xp + p_late_xp,
            folded_sessions = b.folded_sessions + p_late_sessions,
            folded_minutes = b.folded_minutes + p_late_minutes
        WHERE b.user_id = p_user AND b.device_id = p_device;
        GET DIAGNOSTICS v_rows = ROW_COUNT;
        v_counters := v_counters OR v_rows > 0;
    END IF;

    -- 6. Sets.
    IF cardinality(p_keys) > 0 THEN
        INSERT INTO progression_unlock AS u (user_id, kind, key, created_at)
        SELECT p_user, n.kind, n.key, p_now FROM unnest(p_kinds, p_keys) AS n(kind, key)
        ON CONFLICT (user_id, kind, key) DO NOTHING;
        GET DIAGNOSTICS v_rows = ROW_COUNT;
        v_changed := v_rows > 0;
    END IF;

    -- 7. Preferences.
    IF p_preferences_at IS NOT NULL AND (
            state.preferences_modified_at IS NULL
            OR p_preferences_at > state.preferences_modified_at
            OR (p_preferences_at = state.preferences_modified_at
                AND p_preferences::text IS DISTINCT FROM state.preferences_value::text
                AND progression_canonical_json(p_preferences) COLLATE "C"
                    > COALESCE(progression_canonical_json(state.preferences_value), '')
                        COLLATE "C")) THEN
        state.preferences_value := p_preferences;
        state.preferences_modified_at := p_preferences_at;
        v_changed := true;
    END IF;

    -- 8. Fold.
    v_fold := state.folded_horizon IS NULL OR p_horizon > state.folded_horizon
        OR p_horizon > ANY (v_written);
    IF v_fold THEN
        v_last_folded := p_horizon - 1;
        SELECT MAX(r.length), MIN(r.first_day),
            MAX(r.length - (r.last_day - v_last_folded))
                FILTER (WHERE r.first_day <= v_last_folded AND v_last_folded <= r.last_day)
        INTO v_longest, v_first_run, v_carry
        FROM progression_streak_runs(
            ARRAY(SELECT d.date FROM progression_deviceday d
                  WHERE d.user_id = p_user AND d.sessions > 0),
            state.streak_carry_end, state.streak_carry_length) AS r;
        IF v_longest IS NOT NULL THEN
            state.longest_streak_folded := GREATEST(state.longest_streak_folded, v_longest);
            state.first_active_date := LEAST(state.first_active_date, v_first_run);
        END IF;
        IF v_carry IS NOT NULL THEN
            state.streak_carry_end := v_last_folded;
            state.streak_carry_length := v_carry;
        ELSIF state.streak_carry_end IS DISTINCT FROM v_last_folded THEN
            state.streak_carry_end := NULL;
            state.streak_carry_length := 0;
        END IF;
        state.folded_horizon := GREATEST(state.folded_horizon, p_horizon);
        WITH gone AS (
            DELETE FROM progression_deviceday d WHERE d.user_id = p_user AND d.date < p_horizon
            RETURNING d.device_id, d.date, d.xp, d.sessions, d.minutes
        ), added AS (
            INSERT INTO progression_devicebaseline AS b (user_id, device_id, xp, sessions,
                minutes, folded_xp, folded_sessions, folded_minutes, folded_through)
            SELECT p_user, g.device_id, 0, 0, 0, SUM(g.xp), SUM(g.sessions), SUM(g.minutes),
                v_last_folded
            FROM gone g GROUP BY g.device_id
            ON CONFLICT (user_id, device_id) DO UPDATE SET
                folded_xp = b.folded_xp + EXCLUDED.folded_xp,
                folded_sessions = b.folded_sessions + EXCLUDED.folded_sessions,
                folded_minutes = b.folded_minutes + EXCLUDED.folded_minutes,
                folded_through = GREATEST(b.folded_through, EXCLUDED.folded_through)
        )
        SELECT COALESCE(array_agg(DISTINCT g.date), '{}') INTO v_folded FROM gone g;
        v_counters := v_counters OR cardinality(v_folded) > 0;
    END IF;

    -- 9. Flags for the written days that are still kept.
    IF cardinality(v_written) > 0 THEN
        WITH user_days AS (
            SELECT d.date, d.xp, d.sessions FROM progression_deviceday d
            WHERE d.user_id = p_user
                AND d.date >= v_written[1] - (p_rules->>'flag_window_days')::integer
                AND d.date <= v_written[cardinality(v_written)]
        ), candidate AS (
            SELECT u.date, SUM(u.xp) AS xp FROM user_days u
            WHERE u.date = ANY (v_written)
            GROUP BY u.date HAVING SUM(u.xp) > (p_rules->>'flag_min_xp')::integer
        ), history AS (
            SELECT c.date, c.xp, h.day_xp FROM candidate c
            LEFT JOIN LATERAL (
                SELECT SUM(u.xp) AS day_xp FROM user_days u
                WHERE u.sessions > 0 AND u.date < c.date
                    AND u.date >= c.date - (p_rules->>'flag_window_days')::integer
                GROUP BY u.date
            ) h ON true
        ), checked AS (
            SELECT h.date, h.xp, COUNT(h.day_xp) AS days,
                COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY h.day_xp), 0) AS median
            FROM history h GROUP BY h.date, h.xp
        )
        INSERT INTO progression_syncflag AS f (user_id, kind, date, day_xp, median_xp, reason,
            created_at)
        SELECT p_user, 'day', c.date, c.xp, c.median,
            format('%s XP against a median of %s over the %s days before',
                c.xp, c.median, c.days),
            p_now
        FROM checked c
        WHERE c.days >= (p_rules->>'flag_min_history_days')::integer
            AND c.xp > (p_rules->>'flag_median_factor')::double precision * c.median
        ON CONFLICT DO NOTHING;
    END IF;

    -- 10. The version.
    v_changed := v_changed OR v_counters OR v_fold;
    IF v_changed THEN
        UPDATE progression_syncstate s SET
            sync_version = s.sync_version + 1,
            last_modified = p_now,
            preferences_value = state.preferences_value,
            preferences_modified_at = state.preferences_modified_at,
            folded_horizon = state.folded_horizon,
            first_active_date = state.first_active_date,
            longest_streak_folded = state.longest_streak_folded,
            streak_carry_end = state.streak_carry_end,
            streak_carry_length = state.streak_carry_length
        WHERE s.user_id = p_user;
    END IF;
    RETURN QUERY SELECT false, v_changed, v_counters, v_written || v_folded, v_fold,
        state.level_announced;
END;
$function$;
