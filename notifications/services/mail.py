"""Writing an email: HTML and plain text from templates on one calm layout, with a signed
one-click unsubscribe link (RFC 8058) for its kind and one for all email."""

import re
import secrets
from email._policybase import Compat32
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import get_template
from django.urls import reverse

from notifications.models import KIND_TYPES, ReminderKind

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
UNSUBSCRIBE_ALL = "all"

SUBJECTS = {
    ReminderKind.STREAK_CELEBRATION: "{streak} days of calm, and counting",
    ReminderKind.GENTLE_RETURN: "A quiet moment, whenever you like",
    ReminderKind.CHALLENGE_PROGRESS: "Your challenge is nearly at its end",
    ReminderKind.PROGRESS_SUMMARY: "Your {period} of breathing",
    ReminderKind.LEVEL_UP: "Level {level}: {title}",
    ReminderKind.FRIEND_ACTIVITY: "News from a friend",
    ReminderKind.CHALLENGE_RESULT: "Your challenge has ended",
    ReminderKind.TEST: "A test email from Breath Master",
}


def unsubscribe_token(*, user_id, email_type: str) -> str:
    return signing.dumps({"u": str(user_id), "t": email_type}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(*, token: str) -> tuple[str, str] | None:
    """(user id, email type or "all") from a link we signed; None for anything else."""
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not {"u", "t"} <= set(value):
        return None
    return str(value["u"]), str(value["t"])


TOKEN_MARK = "TOKEN"


@cache
def _paths() -> tuple[str, str]:
    """(the unsubscribe path with TOKEN_MARK for its token, the preferences page's path),
    reversed once: a token's characters (URL-safe base64, ':') are never quoted."""
    unsubscribe = reverse("notifications:unsubscribe", args=[TOKEN_MARK])
    return unsubscribe, reverse("notifications:preferences")


def unsubscribe_url(*, user_id, email_type: str) -> str:
    token = unsubscribe_token(user_id=user_id, email_type=email_type)
    return settings.SITE_URL + _paths()[0].replace(TOKEN_MARK, token)


def _message_id(key: str) -> str:
    # Stable per email, so a mail client can tell a resend of the same email apart.
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{key}@{domain}>"


PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]*")


class ShortHeadersAsTheyAre(Compat32):
    """The policy Django's messages use (compat32), except that a header that is printable
    ASCII and fits on its line is written as it is, which is what compat32's folding makes of
    it, without building a `Header` to find that out (a fifth of a mail's CPU before)."""

    def _fold(self, name, value, sanitize):
        fits = isinstance(value, str) and len(name) + 2 + len(value) <= (self.max_line_length or 0)
        if fits and PRINTABLE_ASCII.fullmatch(value):
            return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, sanitize)


SHORT_HEADERS_AS_THEY_ARE = ShortHeadersAsTheyAre()


class CalmEmail(EmailMultiAlternatives):
    """Django's email with two costs of writing it out taken away; the bytes are the same."""

    def message(self):
        message = super().message()
        message.policy = SHORT_HEADERS_AS_THEY_ARE  # the generator applies it to every part
        # Given a boundary, the generator need not search the text for a free one (with a
        # regular expression compiled anew for each email). 96 random bits never occur in it.
        message.set_boundary(f"=_bm_{secrets.token_hex(12)}")
        return message


def email_compose(
    *, user, kind: str, numbers: dict[str, Any], key: str, connection=None
) -> EmailMultiAlternatives:
    """The email of `kind` for `user` with `numbers`; `key` names it (its Message-ID)."""
    email_type = KIND_TYPES.get(kind)
    all_url = unsubscribe_url(user_id=user.pk, email_type=UNSUBSCRIBE_ALL)
    kind_url = unsubscribe_url(user_id=user.pk, email_type=email_type) if email_type else all_url
    context = {
        "kind": kind,
        "numbers": numbers,
        "name": user.display_name or "there",
        "site_url": settings.SITE_URL,
        "preferences_url": settings.SITE_URL + _paths()[1],
        "unsubscribe_kind_url": kind_url if email_type else None,
        "unsubscribe_all_url": all_url,
        "kind_label": ReminderKind(kind).label.lower(),
    }
    subject = SUBJECTS[kind].format(**numbers)
    message = CalmEmail(
        subject=subject,
        body=get_template(f"email/{kind}.txt").render(context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{kind_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Message-ID": _message_id(key),
            "X-Breath-Master-Kind": kind,
        },
        connection=connection,
    )
    message.attach_alternative(get_template(f"email/{kind}.html").render(context), "text/html")
    return message
