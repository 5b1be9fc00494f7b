"""The boards' hot path (a connection of the thread's own) answers as the client would."""

import pytest
import redis

from social.leaderboards import store


@pytest.fixture
def scratch_key():
    key = f"{store.pending_key()}:scratch"
    yield key
    store.board_redis().delete(key)


def test_a_script_runs_again_after_redis_forgot_it():
    echo = store.board_redis().register_script("return {ARGV[1], #KEYS}")
    assert store.hot_script(echo, ["a", "b"], ["calm"]) == ["calm", 2]
    store.board_redis().script_flush()
    assert store.hot_script(echo, ["a"], ["again"]) == ["again", 1]


def test_an_error_reply_raises_and_the_connection_stays_in_step(scratch_key):
    store.board_redis().set(scratch_key, "a string")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        store.hot_send((("SADD", scratch_key, "x"), ("GET", scratch_key)))
    # The GET's reply was read too: the next answer is the next command's.
    assert store.hot_send((("GET", scratch_key), ("STRLEN", scratch_key))) == ["a string", 8]
