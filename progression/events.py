"""What progression announces to the apps above it (social, notifications), which it never imports.

Each event is a Django `Signal`, sent only after the write that caused it has committed, with
`send_robust`, so a slow or failing listener never slows or breaks a sync. Listeners connect in
their app's `AppConfig.ready()` and only queue a task on commit or call one service of their own.
"""

from django.db import transaction
from django.dispatch import Signal

#: A write stored new or larger day counters for a user (a sync, an import, a fold, a flag
#: cleared by staff). Carries `user_id` (UUID) and `dates` (list[datetime.date], sorted: the
#: user's local days whose counters may have changed, folded days included; empty when only
#: baselines or totals moved). Not sent when a write changed no counters.
days_changed = Signal()

#: A write lifted the user's derived level (a sync, an import, a server award). Carries `user_id`
#: (UUID), `level` (int), `title` (str) and `previous_level` (int: the level before that write,
#: the same for every level one write lifts through). Sent once per level reached, ever.
level_reached = Signal()


def announce_on_commit(signal: Signal, **payload) -> None:
    """Send `signal` with `payload` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: signal.send_robust(sender=None, **payload))
