"""The sync rules as database functions, in one file (sync_merge.sql).

Installed with CREATE OR REPLACE after every `migrate` (progression's AppConfig connects
`sync_functions_install` to `post_migrate`), so a rule changes with one edit to the file and
no migration keeps a copy of it.
"""

from pathlib import Path

from django.db import connections

SYNC_MERGE_SQL = Path(__file__).with_name("sync_merge.sql")


def sync_functions_install(*, using: str = "default") -> None:
    with connections[using].cursor() as cursor:
        cursor.execute(SYNC_MERGE_SQL.read_text())


def sync_functions_install_after_migrate(sender, using: str = "default", **kwargs) -> None:
    sync_functions_install(using=using)
