"""Leaderboards kept in Redis sorted sets, one per board and window, rebuilt from PostgreSQL.

Why sorted sets, not ranked tables: "top 50 plus my rank" among a million users is
ZREVRANGE 0 49 plus one ZCOUNT, both O(log N + 50) in memory, while a ranked table has to be
re-ranked on every sync (a window function over the whole window) or read with a COUNT over
an index range that grows with the board. The sets are a cache of the database, never the
truth: the database keeps the days, and `rebuild_window` recomputes a window from it in bulk.

- Boards per window (`day:YYYY-MM-DD`, `week:YYYY-Www`, `month:YYYY-MM`, `all`): `ev` holds
  every user who may be ranked at all (active, sync on, not banned), whatever they show, so
  `me` and the friends board read a score without the database; `global` holds those shown
  globally; `co:<domain>` those shown to their company. `min` is a hash of minutes.
- A sync (progression's `days_changed`) queues one task that recomputes that user's scores
  from the database and writes them with absolute values (never increments), so a replay is
  harmless. A privacy change, a ban, a deletion re-files the user at once, on commit.
- A window is `ready` once built. A reader that finds no `ready` mark (a Redis flush, a new
  day) rebuilds that window from the database under a lock, so a board is never lost. While a
  rebuild runs, users updated meanwhile are noted and re-applied after it swaps in.
- Reads re-check every user they show against the database (active, visible, not banned), so
  even a stale set never shows someone who left.
"""
