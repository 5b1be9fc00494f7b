"""Board refreshes after syncs, gathered so a sync never pays for a Celery publish.

A sync's `days_changed` adds the user to a Redis set in one pipelined round trip; only the
first of a burst queues a drain task. Publishing a task per upload cost ~2.4 ms of CPU per sync
in bench/sync.py (the endpoint fell from 0.48 to 0.33 of the bare app); this costs ~0.1 ms.

1. `board_refresh_later` SADDs the user, then SET NX the drain marker; whoever sets it queues
   the drain (a second after, so a burst of syncs is refreshed together). In a request, the
   publish waits until the answer is sent (breathmaster.after_response): the upload's client
   never waits for it.
2. The drain SPOPs users in batches and refreshes them. If it found any, syncs are arriving:
   it keeps the marker (its expiry renewed) and queues itself again, so in a steady stream of
   syncs no upload publishes at all (a publish: p50 1.7 to 1.9 ms, bench/leaderboard.py).
3. A drain that found nobody deletes the marker and, if users arrived meanwhile, queues itself
   again: a user added after the last SPOP either sees the marker gone (and queues a drain) or
   is seen by that final SCARD. The marker expires, so a lost drain only delays refreshes
   until the next sync.
"""

from uuid import UUID

from breathmaster.after_response import after_response
from social.leaderboards import store
from social.services.boards import board_users_refresh
from social.services.rewards import challenge_completions_refresh

DRAIN_BATCH = 200
DRAIN_MARKER_SECONDS = 60


def board_refresh_later(*, user_id: UUID | str) -> None:
    commands = (
        ("SADD", store.pending_key(), str(user_id)),
        ("SET", store.pending_drain_key(), "1", "NX", "EX", DRAIN_MARKER_SECONDS),
    )
    _, drain_needed = store.hot_send(commands)
    if drain_needed:
        after_response(_drain_queue)


def board_refresh_pending() -> int:
    """Refresh every user waiting in the set; answer how many were refreshed."""
    client = store.board_redis()
    refreshed = 0
    while user_ids := client.spop(store.pending_key(), DRAIN_BATCH):
        board_users_refresh(user_ids=user_ids)
        for user_id in user_ids:
            challenge_completions_refresh(user_id=user_id)
        refreshed += len(user_ids)
    if refreshed:
        client.set(store.pending_drain_key(), "1", ex=DRAIN_MARKER_SECONDS)
        _drain_queue()
        return refreshed
    client.delete(store.pending_drain_key())
    if client.scard(store.pending_key()) and client.set(
        store.pending_drain_key(), "1", nx=True, ex=DRAIN_MARKER_SECONDS
    ):
        _drain_queue()
    return refreshed


def _drain_queue() -> None:
    from social.tasks import boards_refresh_pending

    boards_refresh_pending.apply_async(countdown=1)
