"""Board refreshes after syncs are gathered in Redis: a burst queues one drain, nobody is lost."""

import pytest

from social.leaderboards import store
from social.services import refresh_queue


@pytest.fixture
def queued_drains(monkeypatch):
    drains = []
    monkeypatch.setattr(refresh_queue, "_drain_queue", lambda: drains.append(1))
    yield drains
    store.board_redis().delete(store.pending_key(), store.pending_drain_key())


def test_a_burst_of_syncs_queues_one_drain_that_refreshes_everyone(
    db, queued_drains, monkeypatch, verified_user, friend, stranger
):
    # The real refresh runs; the spy only records whom it was asked to re-file.
    refreshed = []
    real_refresh = refresh_queue.board_users_refresh

    def recording_refresh(*, user_ids):
        refreshed.extend(user_ids)
        real_refresh(user_ids=user_ids)

    monkeypatch.setattr(refresh_queue, "board_users_refresh", recording_refresh)
    for user in (verified_user, friend, stranger, verified_user):
        refresh_queue.board_refresh_later(user_id=user.pk)

    assert len(queued_drains) == 1
    assert refresh_queue.board_refresh_pending() == 3
    assert sorted(refreshed) == sorted(str(u.pk) for u in (verified_user, friend, stranger))
    client = store.board_redis()
    assert client.scard(store.pending_key()) == 0
    # Syncs were arriving: the drain keeps the marker and looks again, so the next syncs of
    # a steady stream publish nothing.
    assert len(queued_drains) == 2 and client.exists(store.pending_drain_key())
    refresh_queue.board_refresh_later(user_id=friend.pk)
    assert len(queued_drains) == 2
    assert refresh_queue.board_refresh_pending() == 1
    assert len(queued_drains) == 3

    # A drain that finds nobody lets go; the next sync after it queues a new one.
    assert refresh_queue.board_refresh_pending() == 0
    assert not client.exists(store.pending_drain_key())
    assert len(queued_drains) == 3
    refresh_queue.board_refresh_later(user_id=friend.pk)
    assert len(queued_drains) == 4


def test_a_sync_after_redis_dropped_the_connection_is_still_queued(db, queued_drains, friend):
    # The refresh queue keeps its own connection (the hot path skips the client's pool); when
    # Redis closes it (a restart, a timeout, CLIENT KILL), the next sync reconnects, once.
    refresh_queue.board_refresh_later(user_id=friend.pk)
    own = store._own_connection()
    own.send_command("CLIENT", "ID")
    client = store.board_redis()
    client.delete(store.pending_key())
    assert client.client_kill_filter(_id=own.read_response()) == 1

    refresh_queue.board_refresh_later(user_id=friend.pk)

    assert client.smembers(store.pending_key()) == {str(friend.pk)}
