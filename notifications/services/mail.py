"""Writing an email: HTML and plain text from templates on one calm layout, with a signed
one-click unsubscribe link (RFC 8058) for its kind and one for all email."""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
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


def unsubscribe_url(*, user_id, email_type: str) -> str:
    token = unsubscribe_token(user_id=user_id, email_type=email_type)
    return settings.SITE_URL + reverse("notifications:unsubscribe", args=[token])


def _message_id(key: str) -> str:
    # Stable per email, so a mail client can tell a resend of the same email apart.
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{key}@{domain}>"


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
        "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
        "unsubscribe_kind_url": kind_url if email_type else None,
        "unsubscribe_all_url": all_url,
        "kind_label": ReminderKind(kind).label.lower(),
    }
    subject = SUBJECTS[kind].format(**numbers)
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"email/{kind}.txt", context),
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
    message.attach_alternative(render_to_string(f"email/{kind}.html", context), "text/html")
    return message
