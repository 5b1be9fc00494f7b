"""What social announces to the apps above or beside it (notifications shows them in its feed).

Each event is a Django `Signal`, sent with `send_robust` once the write that caused it has
committed. The audience is already filtered by privacy: only friends who may see it are named.
"""

from django.db import transaction
from django.dispatch import Signal

#: A user reached a new level and shares their progress with friends. Carries `user_id`
#: (UUID), `display_name` (str), `level` (int), `title` (str) and `friend_ids` (list[UUID]:
#: the friends who may see it; never empty when sent).
friend_level_reached = Signal()

#: A user completed a challenge. Carries `user_id` (UUID), `display_name` (str),
#: `challenge_id` (UUID), `challenge_title` (str) and `friend_ids` (list[UUID]: friends who
#: may see both the person's progress and that challenge; never empty when sent).
friend_challenge_completed = Signal()

#: A challenge the user was taking part in has closed (its end passed, its rewards granted):
#: sent once per participant still in it, finished or not, and never for a challenge staff
#: hid. Carries `user_id`, `challenge_id` (UUIDs), `challenge_title` (str), `goal_metric`
#: (str, the contract's word), `completed` (bool), `current`, `target`, `percent` (int: the
#: participant's own progress) and `reward_xp` (int: XP this close granted them, else 0).
challenge_result = Signal()

#: A participant cheered another in a challenge. Carries `from_user_id`, `to_user_id`,
#: `challenge_id` (UUIDs) and `challenge_title` (str).
cheer_sent = Signal()


def announce_on_commit(signal: Signal, **payload) -> None:
    transaction.on_commit(lambda: signal.send_robust(sender=None, **payload))
