"""Sending reminder rows as emails, each claimed before it is sent, so none is sent twice."""

import json
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.utils import timezone

from accounts.selectors import users_by_ids, users_with_email_verified
from notifications.models import KIND_TYPES, Reminder
from notifications.services.content import (
    Practice,
    practices_as_of,
    reminder_content_choose,
)
from notifications.services.mail import email_compose

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
REMINDERS = Reminder._meta.db_table

CLAIM_SQL = f"""
    UPDATE {REMINDERS}
    SET status = 'sending', claimed_at = now(), attempts = attempts + 1
    WHERE id = ANY(%(ids)s)
      AND (status = 'planned' OR (status = 'retrying' AND next_attempt_at <= now()))
    RETURNING *
"""

# Fixed text, so PostgreSQL prepares it once per connection. Only a row this sender still
# holds: a recovered row belongs to its new sender.
SENT_SQL = f"""
    UPDATE {REMINDERS}
    SET status = 'sent', kind = %(kind)s, payload = %(payload)s::jsonb, sent_at = now()
    WHERE id = %(id)s AND status = 'sending'
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
    """Take the rows for this sender in one statement, committed before any mail leaves;
    rows another sender holds, or that are done, are left out."""
    with transaction.atomic():
        claimed = list(Reminder.objects.raw(CLAIM_SQL, {"ids": list(reminder_ids)}))
    return sorted(claimed, key=lambda reminder: reminder.pk)


def _finish(reminder: Reminder, **fields) -> None:
    # Only a row this sender still holds: a recovered row belongs to its new sender.
    Reminder.objects.filter(pk=reminder.pk, status="sending").update(**fields)


def _sent(reminder: Reminder, kind: str, numbers: dict) -> None:
    params = {"id": reminder.pk, "kind": kind, "payload": json.dumps(numbers)}
    with connection.cursor() as cursor:
        cursor.execute(SENT_SQL, params)


@dataclass(frozen=True)
class Recipients:
    """Who a batch writes to, read once for the whole batch: active accounts with their
    preferences and whether their address is verified, and the practice of each
    (user, local day) a planned reminder speaks of."""

    users: dict
    practices: dict[tuple[UUID, date], Practice]

    @classmethod
    def for_rows(cls, reminders: list[Reminder]) -> "Recipients":
        user_ids = {reminder.user_id for reminder in reminders}
        users = users_with_email_verified(
            users=users_by_ids(user_ids=user_ids)
            .filter(is_active=True)
            .select_related("notification_preference")
        )
        planned = [(r.user_id, r.local_date) for r in reminders if not r.event_key]
        return cls(
            users={user.pk: user for user in users},
            practices=practices_as_of(user_days=planned),
        )


def _why_not_send(user) -> str | None:
    if user is None:
        return "account_inactive"
    preference = getattr(user, "notification_preference", None)
    if preference is None or not preference.email_enabled:
        return "email_off"
    if not (user.email and user.email_verified):
        return "email_not_verified"
    return None


def _content_for(reminder: Reminder, user, recipients: Recipients) -> tuple[str, dict] | None:
    preference = user.notification_preference
    if reminder.event_key:
        email_type = KIND_TYPES.get(reminder.kind)
        if email_type and not preference.email_type_on(email_type):
            return None
        return reminder.kind, reminder.payload
    content = reminder_content_choose(
        user=user,
        preference=preference,
        local_date=reminder.local_date,
        practice=recipients.practices[(reminder.user_id, reminder.local_date)],
    )
    return (content.kind, content.numbers) if content else None


def reminders_write(
    *, reminders: list[Reminder], outcome: SendOutcome
) -> list[tuple[Reminder, object, str, dict]]:
    """What each claimed row says, as of its local day (the user may have switched it off
    since it was planned): (row, user, kind, numbers) to send. The rest are marked skipped,
    with their reasons, in one statement per reason."""
    recipients = Recipients.for_rows(reminders)
    to_send, skipped = [], {}
    for reminder in reminders:
        user = recipients.users.get(reminder.user_id)
        reason = _why_not_send(user)
        content = None if reason else _content_for(reminder, user, recipients)
        if content is None:
            skipped.setdefault(reason or "nothing_to_send", []).append(reminder.pk)
            continue
        to_send.append((reminder, user, *content))
    for reason, ids in skipped.items():
        Reminder.objects.filter(pk__in=ids, status="sending").update(
            status="skipped", last_error=reason
        )
        outcome.skipped.extend(ids)
    return to_send


def reminder_send(
    *, reminder: Reminder, user, kind: str, numbers: dict, smtp=None, outcome: SendOutcome
) -> None:
    """Send one claimed reminder row.

    1. The row was claimed ('planned', or 'retrying' and due, to 'sending') and committed
       before this runs (`reminders_claim`): two senders never both hold it.
    2. Its content was decided as of its local day (`reminders_write`).
    3. Send through Django's email backend; then mark it 'sent' at once, on its own, so a
       sender killed mid-batch has at most the one email in flight unrecorded. A failure is
       recorded and the row waits to retry with backoff, or is 'failed' after MAX_ATTEMPTS.
    A sender killed between 1 and 3 leaves 'sending' rows that planning recovers after the
    lease (longer than any task may live), so a killed batch is sent by the next worker.
    """
    key = reminder.event_key or f"reminder-{reminder.pk}"
    try:
        email_compose(user=user, kind=kind, numbers=numbers, key=key, connection=smtp).send()
    except Exception as error:  # noqa: BLE001  (any delivery error is recorded, never lost)
        _record_failure(reminder, kind, error, outcome)
        _smtp_restart(smtp)
        return
    _sent(reminder, kind, numbers)
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
    """Claim a batch in one statement, read whom it writes to and what it says in a few more,
    then send each row over one SMTP connection, each marked sent on its own."""
    outcome = SendOutcome()
    reminders = reminders_claim(reminder_ids=reminder_ids)
    if not reminders:
        return outcome
    to_send = reminders_write(reminders=reminders, outcome=outcome)
    if not to_send:
        return outcome
    smtp = get_connection()
    # Opened here, one conversation for the batch (a backend opened by `send` closes again).
    _smtp_restart(smtp)
    try:
        for reminder, user, kind, numbers in to_send:
            reminder_send(
                reminder=reminder, user=user, kind=kind, numbers=numbers, smtp=smtp, outcome=outcome
            )
    finally:
        smtp.close()
    return outcome
