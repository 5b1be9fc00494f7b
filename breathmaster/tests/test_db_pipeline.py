"""`first_rows`: statements sent together, in one round trip and one transaction."""

import pytest
from django.db import DataError, connection, transaction

from breathmaster.db.pipeline import first_rows
from breathmaster.testing.protocol import round_trips

# Autocommit, as a request runs: the pipeline's own sync point ends its transaction.
pytestmark = pytest.mark.django_db(transaction=True)

_TABLE = "CREATE TEMPORARY TABLE IF NOT EXISTS pipeline_probe (n integer)"
_INSERT = ("INSERT INTO pipeline_probe VALUES (%s) RETURNING n", [7])
_COUNT = ("SELECT COUNT(*) FROM pipeline_probe", [])
_FAILING = ("SELECT 1 / %s", [0])


@pytest.fixture
def probe_table():
    with connection.cursor() as cursor:
        cursor.execute(_TABLE)
        cursor.execute("TRUNCATE pipeline_probe")


def _count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(*_COUNT)
        return cursor.fetchone()[0]


def test_statements_go_in_one_round_trip_and_each_sees_what_came_before(probe_table):
    answers = []
    assert round_trips(lambda: answers.extend(first_rows([_INSERT, _COUNT]))) == 1
    assert answers == [(7,), (1,)]
    assert _count() == 1  # committed


def test_when_one_fails_nothing_is_kept_and_the_error_is_djangos(probe_table):
    with pytest.raises(DataError, match="division by zero"):
        first_rows([_INSERT, _FAILING])
    assert _count() == 0
    # The connection is ready for the next request.
    assert first_rows([_COUNT]) == [(0,)]


def test_inside_a_transaction_the_callers_transaction_decides(probe_table):
    with transaction.atomic():
        assert first_rows([_INSERT, _COUNT]) == [(7,), (1,)]
        transaction.set_rollback(True)
    assert _count() == 0
