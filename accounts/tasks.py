"""Thin doors to the accounts services: take ids, call one service, own retries and limits."""

from celery import shared_task

from accounts import services


@shared_task(name="accounts.tasks.data_export_build", time_limit=300, soft_time_limit=240)
def data_export_build(export_id: str) -> None:
    services.data_export_build(export_id=export_id)


@shared_task(name="accounts.tasks.erase_due_accounts", time_limit=1800, soft_time_limit=1700)
def erase_due_accounts() -> int:
    return services.user_erase_due()


@shared_task(name="accounts.tasks.remove_expired_artifacts")
def remove_expired_artifacts() -> int:
    return services.sync_codes_remove_expired() + services.data_exports_remove_expired()
