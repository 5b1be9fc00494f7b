from django import forms
from django.contrib.auth.password_validation import validate_password

from accounts import validators
from accounts.models import LeaderboardVisibility, User

DELETE_CONFIRMATION = "DELETE"


class PrivacyForm(forms.Form):
    share_progress = forms.BooleanField(required=False, label="Share my progress with friends")
    share_streaks = forms.BooleanField(required=False, label="Share my streaks with friends")
    allow_friend_requests = forms.BooleanField(required=False, label="Allow friend requests")
    leaderboard_global = forms.ChoiceField(
        choices=LeaderboardVisibility.choices,
        widget=forms.RadioSelect,
        label="On the global leaderboard",
    )
    leaderboard_friends = forms.BooleanField(required=False, label="Show me on my friends' board")
    leaderboard_company = forms.BooleanField(
        required=False, label="Show me on my company's board (same verified email domain)"
    )
    data_retention_days = forms.IntegerField(
        min_value=validators.RETENTION_MIN_DAYS,
        max_value=validators.RETENTION_MAX_DAYS,
        label="Keep day-by-day history for (days)",
    )

    @classmethod
    def for_user(cls, user: User, data=None) -> "PrivacyForm":
        initial = {name: getattr(user, name) for name in cls.base_fields}
        return cls(data=data, initial=initial)


WELCOME_LEADERBOARD_CHOICES = [
    (LeaderboardVisibility.HIDDEN, "Not shown (you can change this any time)"),
    (LeaderboardVisibility.ANONYMOUS, "Shown as Anonymous with a number, never your name"),
    (LeaderboardVisibility.NAMED, "Shown with my display name"),
]


class WelcomeForm(forms.Form):
    """Onboarding after linking: anonymous or a display name, and the global leaderboard."""

    display_name = forms.CharField(
        required=False,
        strip=False,
        max_length=validators.DISPLAY_NAME_MAX,
        label="Display name (optional)",
        help_text="Leave it empty to stay anonymous. Only shown where you choose to be seen.",
    )
    leaderboard_global = forms.ChoiceField(
        choices=WELCOME_LEADERBOARD_CHOICES,
        widget=forms.RadioSelect,
        label="On the community leaderboard",
    )

    @classmethod
    def for_user(cls, user: User, data=None) -> "WelcomeForm":
        initial = {"display_name": user.display_name, "leaderboard_global": user.leaderboard_global}
        form = cls(data=data, initial=initial)
        form.user = user
        return form

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"]
        if name:
            validators.validate_display_name(name)
        return name

    def clean(self):
        cleaned = super().clean()
        named = cleaned.get("leaderboard_global") == LeaderboardVisibility.NAMED
        if named and not cleaned.get("display_name"):
            self.add_error("display_name", "Pick a display name to be shown by name.")
        return cleaned

    def changes(self) -> dict:
        """Only what differs from the account now, so nothing else is touched."""
        return {
            field: value
            for field, value in self.cleaned_data.items()
            if value != getattr(self.user, field)
        }


class ClaimForm(forms.Form):
    email = forms.EmailField(label="Email")
    password1 = forms.CharField(widget=forms.PasswordInput, label="Password")
    password2 = forms.CharField(widget=forms.PasswordInput, label="Password, once more")

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            try:
                validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class DeleteAccountForm(forms.Form):
    confirmation = forms.CharField(label=f"Type {DELETE_CONFIRMATION} to confirm", max_length=20)

    def clean_confirmation(self) -> str:
        value = self.cleaned_data["confirmation"].strip()
        if value.upper() != DELETE_CONFIRMATION:
            raise forms.ValidationError(f"Type {DELETE_CONFIRMATION} to confirm.")
        return value
