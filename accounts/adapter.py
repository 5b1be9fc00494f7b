from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages

from accounts import services


class AccountAdapter(DefaultAccountAdapter):
    """allauth's own, plus: signing in on the web inside the deletion window keeps the account."""

    def pre_login(self, request, user, **kwargs):
        if services.user_restore_on_sign_in(user=user):
            messages.success(
                request, "Welcome back. Your account is yours again; nothing was deleted."
            )
        return super().pre_login(request, user, **kwargs)
