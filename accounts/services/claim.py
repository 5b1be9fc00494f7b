from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core import context
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from accounts.models import User
from breathmaster.api.errors import ApplicationError


@transaction.atomic
def user_claim_with_email(
    *, user: User, email: str, password: str, request: HttpRequest
) -> EmailAddress | None:
    """Keep an anonymous account by adding an email and a password.

    The account keeps its id, devices and progress. The address counts only once verified:
    allauth sends the confirmation (it needs the request to build the link).

    Whether the address is registered is never told, as allauth's sign-up does: the caller
    answers the same either way, the account is left as it was, and the address's owner gets
    a mail saying someone tried (None is answered then).
    """
    if not user.is_anonymous_account:
        raise ApplicationError("This account already has an email.", code="already_claimed")
    email = email.strip().lower()
    taken = (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )
    if taken:
        make_password(password)  # the same work as a real claim, so time tells nothing either
        transaction.on_commit(lambda: _send_address_taken(email, request))
        return None
    user.email = email
    user.set_password(password)
    user.save(update_fields=["email", "password"])
    address = EmailAddress.objects.add_email(request, user, email, confirm=False)
    EmailAddress.objects.filter(pk=address.pk).update(primary=True)
    transaction.on_commit(lambda: _send_confirmation(address, request))
    return address


def _send_address_taken(email: str, request: HttpRequest) -> None:
    reset_url = request.build_absolute_uri(reverse("account_reset_password"))
    with context.request_context(request):
        get_adapter(request).send_mail(
            "account/email/claim_address_taken", email, {"password_reset_url": reset_url}
        )


def _send_confirmation(address: EmailAddress, request: HttpRequest) -> None:
    # After commit, so a rolled-back claim never mails a dead link; allauth builds the mail
    # from the request it finds in its context, which may be gone by then.
    with context.request_context(request):
        address.send_confirmation(request)
