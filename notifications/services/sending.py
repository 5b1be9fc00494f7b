"""Sending reminder rows as emails, each claimed before it is sent, so none is sent twice."""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.utils import timezone

from accounts.selectors import user_email_verified, users_by_ids
from notifications.models import KIND_TYPES, NotificationPreference, Reminder
from notifications.services.content import reminder_content_choose
from notifications.services.mail import email_compose

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
REMINDERS = Reminder._meta.db_table

CLAIM_SQL = f"""
    UPDATE {REMINDERS}
    SET status = 'sending', claimed_at = now(), attempts = attempts + 1
    WHERE id = ANY(%(ids)s)
      AND (status = 'planned' OR (status = 'retrying' AND next_attempt_at <= now()))
    RETURNING id
"""


@dataclass
class SendOutcome:
    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    retry: dict[int, datetime] = field(default_factory=dict)
    failed: list[int] = field(default_factory=list)


def retry_delay(attempts: int) -> timedelta:
    """Backoff after the n-th failed attempt: base, 2x base, 4x base, ... up to an hour."""
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** (attempts - 1), 3600))


def reminders_claim(*, reminder_ids: list[int]) -> list[Reminder]:
    """Take the rows for this sender, committed before any mail leaves; rows another sender
    holds, or that are done, are left out."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(CLAIM_SQL, {"ids": list(reminder_ids)})
        claimed = [row[0] for row in cursor.fetchall()]
    return list(Reminder.objects.filter(pk__in=claimed).order_by("pk"))


def _finish(reminder: Reminder, **fields) -> None:
    # Only a row this sender still holds: a recovered row belongs to its new sender.
    Reminder.objects.filter(pk=reminder.pk, status="sending").update(**fields)


def _skip(reminder: Reminder, reason: str) -> None:
    _finish(reminder, status="skipped", last_error=reason)


def _content_for(reminder: Reminder, user, preference) -> tuple[str, dict] | None:
    if reminder.event_key:
        email_type = KIND_TYPES.get(reminder.kind)
        if email_type and not preference.email_type_on(email_type):
            return None
        return reminder.kind, reminder.payload
    content = reminder_content_choose(
        user=user, preference=preference, local_date=reminder.local_date
    )
    return (content.kind, content.numbers) if content else None


def _why_not_send(user, preference) -> str | None:
    if user is None:
        return "account_inactive"
    if preference is None or not preference.email_enabled:
        return "email_off"
    if not user_email_verified(user=user):
        return "email_not_verified"
    return None


@dataclass(frozen=True)
class Recipient:
    """Who a batch writes to: active accounts and their preferences, read once per batch."""

    users: dict
    preferences: dict

    @classmethod
    def for_rows(cls, reminders: list[Reminder]) -> "Recipient":
        user_ids = {reminder.user_id for reminder in reminders}
        users = {user.pk: user for user in users_by_ids(user_ids=user_ids) if user.is_active}
        preferences = NotificationPreference.objects.in_bulk(list(user_ids))
        return cls(users=users, preferences=preferences)


def reminder_send(
    *, reminder: Reminder, recipients: Recipient, smtp=None, outcome: SendOutcome
) -> None:
    """Send one claimed reminder row.

    1. The row was claimed ('planned', or 'retrying' and due, to 'sending') and committed
       before this runs (`reminders_claim`): two senders never both hold it.
    2. Decide its content as of its local day (the user may have switched it off since).
    3. Send through Django's email backend; then mark it 'sent' at once, on its own. A failure
       is recorded and the row waits to retry with backoff, or is 'failed' after MAX_ATTEMPTS.
    A sender killed between 1 and 3 leaves 'sending' rows that planning recovers after the
    lease (longer than any task may live), so a killed batch is sent by the next worker.
    """
    user = recipients.users.get(reminder.user_id)
    preference = recipients.preferences.get(reminder.user_id)
    reason = _why_not_send(user, preference)
    content = None if reason else _content_for(reminder, user, preference)
    if content is None:
        _skip(reminder, reason or "nothing_to_send")
        outcome.skipped.append(reminder.pk)
        return
    kind, numbers = content
    key = reminder.event_key or f"reminder-{reminder.pk}"
    try:
        email_compose(user=user, kind=kind, numbers=numbers, key=key, connection=smtp).send()
    except Exception as error:  # noqa: BLE001  (any delivery error is recorded, never lost)
        _record_failure(reminder, kind, error, outcome)
        _smtp_restart(smtp)
        return
    _finish(reminder, status="sent", kind=kind, payload=numbers, sent_at=timezone.now())
    outcome.sent.append(reminder.pk)


def _smtp_restart(smtp) -> None:
    """After a failure the next email of the batch starts a fresh conversation."""
    if smtp is None:
        return
    smtp.close()
    try:
        smtp.open()
    except Exception:  # noqa: BLE001  (the next send opens it again, or records why not)
        logger.warning("The mail server did not answer; the batch's next sends will retry.")


def _record_failure(reminder: Reminder, kind: str, error: Exception, outcome: SendOutcome):
    message = f"{type(error).__name__}: {error}"[:500]
    logger.warning("Reminder %s not sent (attempt %s): %s", reminder.pk, reminder.attempts, message)
    if reminder.attempts >= MAX_ATTEMPTS:
        _finish(reminder, status="failed", kind=kind, last_error=message)
        outcome.failed.append(reminder.pk)
        return
    retry_at = timezone.now() + retry_delay(reminder.attempts)
    _finish(reminder, status="retrying", kind=kind, last_error=message, next_attempt_at=retry_at)
    outcome.retry[reminder.pk] = retry_at


def reminders_send(*, reminder_ids: list[int]) -> SendOutcome:
    """Claim a batch in one statement, then send each row over one SMTP connection, each
    finished on its own."""
    outcome = SendOutcome()
    reminders = reminders_claim(reminder_ids=reminder_ids)
    if not reminders:
        return outcome
    recipients = Recipient.for_rows(reminders)
    smtp = get_connection()
    # Opened here, one conversation for the batch (a backend opened by `send` closes again).
    _smtp_restart(smtp)
    try:
        for reminder in reminders:
            reminder_send(reminder=reminder, recipients=recipients, smtp=smtp, outcome=outcome)
    finally:
        smtp.close()
    return outcome
