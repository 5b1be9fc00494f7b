"""Where higher apps plug into accounts, which must never import them (STYLE.md, "floors").

Each higher app fills these in its `AppConfig.ready()`:

- `profile_sections`: name -> section(user) -> JSON value, the top-level key `name` of
  `GET /api/v1/me` (progression registers `eligibility`; billing `tier`, `features`, `limits`
  and `billing`). `PROFILE_DEFAULTS` says what `/me` shows when no app registered a name.
- `export_sections`: name -> section(user) -> JSON value, one key each in the data export.
- `deletion_hooks`: run when an account is scheduled for deletion, inside its transaction
  (billing cancels the subscription there, once it has committed).
- `erasure_hooks`: run just before the account's rows are erased for good (billing deletes the
  Stripe customer); raising stops the erasure so it is tried again later.
- `return_hooks`: run when an account may be seen by others again without a save of the user
  (those are `.update()`s, so no signal fires): sync turned on, a scheduled deletion undone.
  Inside its transaction; a listener acts on commit (social puts the user back on the boards).
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accounts.models import User

ProfileSection = Callable[["User"], Any]
ExportSection = Callable[["User"], Any]
AccountHook = Callable[["User"], None]

profile_sections: dict[str, ProfileSection] = {}
export_sections: dict[str, ExportSection] = {}
deletion_hooks: list[AccountHook] = []
erasure_hooks: list[AccountHook] = []
return_hooks: list[AccountHook] = []

# The `/me` keys the contract names that another app provides, as shown without that app.
PROFILE_DEFAULTS: dict[str, Any] = {
    "eligibility": None,
    "tier": None,
    "features": {},
    "limits": {},
    "billing": None,
}
