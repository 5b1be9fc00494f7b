from datetime import timedelta

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core import context
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import User
from breathmaster.api.errors import ApplicationError

CLAIM_LINK_SALT = "accounts.claim"
ADDRESS_TAKEN = "This address now belongs to another account, so nothing was changed."
INVALID_LINK = "This link can no longer be used. You can add your email again from your account."


@transaction.atomic
def user_claim_with_email(*, user: User, email: str, password: str, request: HttpRequest) -> None:
    """Ask to keep an anonymous account with an email and a password.

    The password is set at once. The address is kept nowhere until its owner follows the mailed
    link (`user_claim_confirm`): a free address gets that link, a registered one's owner a note
    that someone tried. So the claimant's account reads the same either way, as allauth's
    sign-up answers the same, and nobody can hold an address they cannot read.
    """
    if not user.is_anonymous_account:
        raise ApplicationError("This account already has an email.", code="already_claimed")
    email = email.strip().lower()
    user.set_password(password)
    user.save(update_fields=["password"])
    if _address_registered(email):
        transaction.on_commit(lambda: _send_address_taken(email, request))
        return
    link = request.build_absolute_uri(
        reverse("claim_confirm", args=[_claim_token(user=user, email=email)])
    )
    transaction.on_commit(lambda: _send_claim_link(email, link, request))


def claim_link_read(*, token: str) -> tuple[User, str]:
    """The account and address a claim link was made for, while it can still be used."""
    return _claim_read(token, accounts=User.objects.all())


@transaction.atomic
def user_claim_confirm(*, token: str) -> User:
    """The address's owner followed the link: it becomes the account's email, verified.

    1. The link must be ours, younger than allauth's confirmation links, and from the account's
       latest claim (a new claim or password makes older links useless); the account is locked.
    2. The address must still be free; the unique indexes settle a race with a sign-up.
    """
    user, email = _claim_read(token, accounts=User.objects.select_for_update())
    if _address_registered(email):
        raise ApplicationError(ADDRESS_TAKEN, code="email_taken")
    try:
        with transaction.atomic():
            user.email = email
            user.save(update_fields=["email"])
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    except IntegrityError:
        raise ApplicationError(ADDRESS_TAKEN, code="email_taken") from None
    return user


def _claim_read(token: str, *, accounts) -> tuple[User, str]:
    try:
        claim = signing.loads(token, salt=CLAIM_LINK_SALT, max_age=_link_lifetime())
        user = accounts.get(pk=claim["user"], is_active=True)
    except (signing.BadSignature, KeyError, TypeError, ValidationError, User.DoesNotExist):
        raise ApplicationError(INVALID_LINK, code="invalid_claim_link") from None
    latest = constant_time_compare(claim.get("claim", ""), _claim_fingerprint(user))
    if not (user.is_anonymous_account and latest):
        raise ApplicationError(INVALID_LINK, code="invalid_claim_link")
    return user, claim["email"]


def _address_registered(email: str) -> bool:
    return (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )


def _claim_token(*, user: User, email: str) -> str:
    claim = {"user": str(user.pk), "email": email, "claim": _claim_fingerprint(user)}
    return signing.dumps(claim, salt=CLAIM_LINK_SALT)


def _claim_fingerprint(user: User) -> str:
    # Changes with every claim (each sets the password, with a fresh salt), like Django's
    # password reset tokens; a keyed hash, so the link shows nothing of the password's hash.
    return salted_hmac(CLAIM_LINK_SALT, user.password).hexdigest()[:20]


def _link_lifetime() -> timedelta:
    return timedelta(days=allauth_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS)


def _send_address_taken(email: str, request: HttpRequest) -> None:
    reset_url = request.build_absolute_uri(reverse("account_reset_password"))
    with context.request_context(request):
        get_adapter(request).send_mail(
            "account/email/claim_address_taken", email, {"password_reset_url": reset_url}
        )


def _send_claim_link(email: str, link: str, request: HttpRequest) -> None:
    # After commit, so a rolled-back claim never mails a link; allauth's adapter renders the
    # mail from the request it finds in its context, which may be gone by then.
    days = allauth_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS
    with context.request_context(request):
        get_adapter(request).send_mail(
            "account/email/claim_confirmation", email, {"claim_url": link, "days": days}
        )
