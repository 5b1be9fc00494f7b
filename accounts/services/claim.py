from allauth.account.models import EmailAddress
from allauth.core import context
from django.db import transaction
from django.http import HttpRequest

from accounts.models import User
from breathmaster.api.errors import ApplicationError


@transaction.atomic
def user_claim_with_email(
    *, user: User, email: str, password: str, request: HttpRequest
) -> EmailAddress:
    """Keep an anonymous account by adding an email and a password.

    The account keeps its id, devices and progress. The address counts only once verified:
    allauth sends the confirmation (it needs the request to build the link).
    """
    if not user.is_anonymous_account:
        raise ApplicationError("This account already has an email.", code="already_claimed")
    email = email.strip().lower()
    taken = (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )
    if taken:
        raise ApplicationError(
            "That email belongs to another account. Sign in there, or use another address.",
            code="email_taken",
            errors={"email": ["That email belongs to another account."]},
        )
    user.email = email
    user.set_password(password)
    user.save(update_fields=["email", "password"])
    address = EmailAddress.objects.add_email(request, user, email, confirm=False)
    EmailAddress.objects.filter(pk=address.pk).update(primary=True)
    transaction.on_commit(lambda: _send_confirmation(address, request))
    return address


def _send_confirmation(address: EmailAddress, request: HttpRequest) -> None:
    # After commit, so a rolled-back claim never mails a dead link; allauth builds the mail
    # from the request it finds in its context, which may be gone by then.
    with context.request_context(request):
        address.send_confirmation(request)
