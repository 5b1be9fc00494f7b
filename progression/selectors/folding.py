"""Who has days past their retention horizon (the daily fold's work list)."""

from uuid import UUID

from django.db import connection


def users_with_days_to_fold() -> list[UUID]:
    """Users who may have days past their retention (a day of slack for timezones)."""
    sql = """
        SELECT DISTINCT d.user_id FROM progression_deviceday d
        JOIN accounts_user u ON u.id = d.user_id
        WHERE d.date < CURRENT_DATE + 1 - u.data_retention_days
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]
