"""The preferences page's form: the same choices as the API, written through the same service."""

from django import forms

from notifications.models import (
    IN_APP_FIELDS,
    TYPE_FIELDS,
    EmailType,
    Frequency,
    NotificationPreference,
)

IN_APP_LABELS = {
    "celebrateAchievements": "Celebrate levels and challenges",
    "showDailyProgress": "Show my daily progress",
    "highlightNewFeatures": "Tell me about new features",
    "friendActivity": "Friends' news (only what they share)",
}


class PreferencesForm(forms.Form):
    email_enabled = forms.BooleanField(required=False, label="Send me email reminders")
    frequency = forms.ChoiceField(choices=Frequency.choices)
    time_of_day = forms.CharField(
        label="Time of day", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    timezone = forms.CharField(label="Time zone", max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in TYPE_FIELDS.items():
            self.fields[field] = forms.BooleanField(required=False, label=EmailType(name).label)
        for name, field in IN_APP_FIELDS.items():
            self.fields[field] = forms.BooleanField(required=False, label=IN_APP_LABELS[name])

    @classmethod
    def for_preference(cls, preference: NotificationPreference, data=None) -> "PreferencesForm":
        initial = {name: getattr(preference, name) for name in ("email_enabled", "frequency")}
        initial |= {
            "time_of_day": preference.time_of_day.strftime("%H:%M"),
            "timezone": preference.timezone,
        }
        initial |= {field: getattr(preference, field) for field in TYPE_FIELDS.values()}
        initial |= {field: getattr(preference, field) for field in IN_APP_FIELDS.values()}
        return cls(data=data, initial=initial)

    def type_fields(self):
        return [self[field] for field in TYPE_FIELDS.values()]

    def in_app_fields(self):
        return [self[field] for field in IN_APP_FIELDS.values()]

    def changes(self) -> dict:
        """The cleaned form as the API's camelCase body."""
        data = self.cleaned_data
        return {
            "email": {
                "enabled": data["email_enabled"],
                "frequency": data["frequency"],
                "timeOfDay": data["time_of_day"],
                "timezone": data["timezone"],
                "types": {name: data[field] for name, field in TYPE_FIELDS.items()},
            },
            "inApp": {name: data[field] for name, field in IN_APP_FIELDS.items()},
        }
