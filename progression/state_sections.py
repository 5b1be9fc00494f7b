"""Where higher apps add to the synced state (`/sync`, `/sync/state`), which must never import them.

The state is one statement (`progression.selectors.state`), read on every upload. A part a higher
app owns is folded into that statement as a scalar subquery, so it costs no round trip (a
callable would add one per upload, on the hot path). The higher app provides it in its
`AppConfig.ready()`:

    from progression import state_sections

    state_sections.provide_active_challenges(social.selectors.ACTIVE_CHALLENGES_SQL)

- `active_challenges`: SQL for one JSON array (or NULL for none): the community challenges the
  user has joined that are still running and visible, as the extension's `activeChallenges`.
  It may use `%(user)s` (the user's id) and `%(now)s` (the instant of the read), nothing else,
  and must be one indexed read of the user's own rows. Until provided, the state shows `[]`.
"""

from typing import NewType

StateSql = NewType("StateSql", str)

_NOTHING = StateSql("NULL::json")
_sections: dict[str, StateSql] = {}


def provide_active_challenges(sql: StateSql | str) -> None:
    _sections["active_challenges"] = StateSql(sql)


def active_challenges_sql() -> StateSql:
    return _sections.get("active_challenges", _NOTHING)
