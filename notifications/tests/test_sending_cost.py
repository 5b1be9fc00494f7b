"""What sending costs: a batch reads whom it writes to (accounts, preferences, verified
addresses, practice) once for all its rows, so each email adds one statement (its own 'sent'
mark); and the faster writing of an email gives the very bytes Django's own would."""

from datetime import UTC, date, datetime
from email._policybase import compat32
from io import StringIO

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import User
from notifications.models import ReminderKind
from notifications.services.mail import SHORT_HEADERS_AS_THEY_ARE, email_compose
from notifications.tests.helpers import person, practised

MONDAY_EVENING = datetime(2026, 6, 1, 20, 0, tzinfo=UTC)  # the weekly summary is due for all


def statements_to_send(count: int, capture_on_commit) -> int:
    """Statements the sends of `count` people's reminders take, run in-process (eager)."""
    for index in range(count):
        # People without sync: a challenge ending soon is looked up per person who syncs.
        user = person(f"n{count}-{index}@example.com", "UTC", "09:00", name=f"N{index}")
        practised(user, {date(2026, 5, 30): 10, date(2026, 5, 31): 5 + index})
    with capture_on_commit(execute=False) as queued:
        call_command("send_reminders", "--at", MONDAY_EVENING.isoformat(), stdout=StringIO())
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as statements:
        for send in queued:
            send()
    assert len(mail.outbox) == count
    return len(statements)


@pytest.mark.django_db
def test_each_email_of_a_batch_adds_one_statement(django_capture_on_commit_callbacks):
    few = statements_to_send(3, django_capture_on_commit_callbacks)
    many = statements_to_send(12, django_capture_on_commit_callbacks)
    assert many - few == 12 - 3


NUMBERS = {
    "streak": 4,
    "minutesThisWeek": 45,
    "activeDaysLastWeek": 2,
    "period": "week",
    "minutes": 30,
    "activeDays": 2,
    "title": "Calm week",
    "endsIn": "tomorrow",
    "current": 15,
    "target": 60,
    "percent": 25,
    "level": 3,
    "text": "Zoë reached level 3, Steady Breather. A calm milestone, shared with you.",
}
TITLES = [
    "Calm week",
    "Zoë’s “quiet” January — ünïcödé all the way through a long title",
    "A plain title long enough that the subject has to be folded over more than one line",
]


ADDRESSES = [
    "zoë@example.com",
    # "To: " and this pass the line's 78 characters: compat32 folds it.
    "someone.who.likes.to.breathe.very.slowly.every.single.morning@calm.example.com",
]


@pytest.mark.django_db
@pytest.mark.parametrize("address", ADDRESSES)
@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("kind", [kind.value for kind in ReminderKind])
def test_an_email_is_written_byte_for_byte_as_django_writes_it(kind, title, address):
    user = User.objects.create_user(email=address, display_name="Zoë Quiet")
    email = email_compose(user=user, kind=kind, numbers={**NUMBERS, "title": title}, key="k1")
    email.extra_headers["Date"] = "Mon, 01 Jun 2026 20:00:00 -0000"
    ours = email.message()
    django = EmailMultiAlternatives.message(email)
    django.set_boundary(ours.get_boundary())
    assert ours.as_bytes(linesep="\r\n") == django.as_bytes(linesep="\r\n")


header_names = st.sampled_from(["Subject", "To", "Message-ID", "List-Unsubscribe", "X-Kind"])
# Printable ASCII around the line's length (the short cut's own ground), then anything.
printable = st.sampled_from(' ;,:<>=@"()aZ09')
header_values = (
    st.integers(55, 85).flatmap(lambda n: st.text(printable, min_size=n, max_size=n))
    | st.text(st.sampled_from(" \t;,:aZ9é\x0c\n"), max_size=100)
    | st.text(st.characters(min_codepoint=0, max_codepoint=127), max_size=100)
)


@settings(max_examples=3000, deadline=None)
@given(header_names, header_values)
def test_a_header_is_folded_as_compat32_folds_it(name, value):
    def folded(policy):
        try:
            return policy.fold_binary(name, value)
        except Exception as error:  # noqa: BLE001  (compat32 refuses some; so must we)
            return type(error)

    assert folded(SHORT_HEADERS_AS_THEY_ARE) == folded(compat32)
