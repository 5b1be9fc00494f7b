"""What a test's work sends to PostgreSQL, read off libpq's protocol trace."""

import tempfile

from django.db import connection


def round_trips(work) -> int:
    """Run `work()`; answer how many times PostgreSQL said it was ready for the next query
    meanwhile (each round trip, Django's own BEGIN and COMMIT included, ends so)."""
    connection.ensure_connection()
    with tempfile.TemporaryFile("w+") as trace:
        connection.connection.pgconn.trace(trace.fileno())
        try:
            work()
        finally:
            connection.connection.pgconn.untrace()
        trace.seek(0)
        return sum("\tB\t" in line and "ReadyForQuery" in line for line in trace)
