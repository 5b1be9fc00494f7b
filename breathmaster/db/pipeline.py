"""Several statements in one round trip to PostgreSQL (psycopg's pipeline mode).

An upload merges, then reads the state it answers: two statements, where the second needs
nothing from the first's answer. Sent together they cost one round trip instead of two: one
wait, one wake-up of the database server and of this worker fewer on every upload.
https://www.psycopg.org/psycopg3/docs/advanced/pipeline.html
"""

from collections.abc import Mapping, Sequence

from django.db import connection

Statement = tuple[str, Mapping | Sequence]


def first_rows(statements: Sequence[Statement]) -> list[tuple | None]:
    """Run the statements in order, in one round trip; answer each one's first row.

    They share one transaction (the pipeline's one sync point ends it, or the caller's own
    transaction does): each sees what the ones before it wrote, and when one fails nothing of
    the others is kept. Errors are Django's, as from `cursor.execute`.
    """
    if len(statements) == 1:  # one round trip anyway; a pipeline would only add its sync
        ((sql, params),) = statements
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [cursor.fetchone()]
    cursors = [connection.cursor() for _ in statements]  # each opens the connection if need be
    try:
        with connection.wrap_database_errors, connection.connection.pipeline():
            for cursor, (sql, params) in zip(cursors, statements, strict=True):
                cursor.execute(sql, params)
        return [cursor.fetchone() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()
