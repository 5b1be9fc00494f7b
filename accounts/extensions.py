"""Where higher apps plug into accounts, which must never import them (STYLE.md, "floors").

Each higher app fills these in its `AppConfig.ready()`:

- `profile_sections`: name -> callable(user) -> JSON value, merged into `GET /api/v1/me`
  (progression registers `eligibility`).
- `export_sections`: name -> callable(user) -> JSON value, one key each in the data export.
- `deletion_hooks`: run when an account is scheduled for deletion (billing cancels the
  subscription there).
- `erasure_hooks`: run just before the account's rows are erased for good.
"""

from collections.abc import Callable
from typing import Any

profile_sections: dict[str, Callable[[Any], Any]] = {}
export_sections: dict[str, Callable[[Any], Any]] = {}
deletion_hooks: list[Callable[[Any], None]] = []
erasure_hooks: list[Callable[[Any], None]] = []
