"""PostgreSQL with a health check that costs no round trip.

Django's check (CONN_HEALTH_CHECKS) sends `SELECT 1` before the first query of every request,
a round trip the sync hot path paid on each upload. Between requests a healthy connection has
nothing to read; a connection the server ended (restart, `pg_terminate_backend`, an idle
timeout) has its goodbye, or the end of the stream, waiting on the socket. So a readable socket
means "unusable", and the request reconnects. A stray notice makes a healthy connection look
unusable, which costs one reconnect and nothing else.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        connection = self.connection
        if connection is None or connection.closed:
            return False
        if connection.pgconn.transaction_status != pq.TransactionStatus.IDLE:
            # Only an idle connection has a quiet socket to read; be as strict as Django.
            return super().is_usable()
        try:
            readable, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
