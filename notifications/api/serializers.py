"""Input and output shapes of the notifications API, camelCase written out field by field."""

from rest_framework import serializers

from notifications.models import IN_APP_FIELDS, TYPE_FIELDS, Frequency


def _toggles(names, required: bool) -> dict:
    return {name: serializers.BooleanField(required=required) for name in names}


EmailTypesOutput = type("EmailTypesOutput", (serializers.Serializer,), _toggles(TYPE_FIELDS, True))
EmailTypesInput = type("EmailTypesInput", (serializers.Serializer,), _toggles(TYPE_FIELDS, False))
InAppOutput = type("InAppOutput", (serializers.Serializer,), _toggles(IN_APP_FIELDS, True))
InAppInput = type("InAppInput", (serializers.Serializer,), _toggles(IN_APP_FIELDS, False))


class EmailPreferencesOutput(serializers.Serializer):
    enabled = serializers.BooleanField()
    frequency = serializers.ChoiceField(choices=Frequency.values)
    timeOfDay = serializers.CharField(help_text='"HH:MM", 24-hour, in `timezone`.')
    timezone = serializers.CharField(help_text="An IANA name; the profile's by default.")
    types = EmailTypesOutput()


class EmailPreferencesInput(serializers.Serializer):
    enabled = serializers.BooleanField(required=False)
    frequency = serializers.ChoiceField(choices=Frequency.values, required=False)
    timeOfDay = serializers.CharField(required=False, help_text='"HH:MM", such as "09:00".')
    timezone = serializers.CharField(required=False)
    types = EmailTypesInput(required=False)


class PreferencesOutput(serializers.Serializer):
    email = EmailPreferencesOutput()
    inApp = InAppOutput()


class PreferencesInput(serializers.Serializer):
    """For the schema only: the service reads the body itself, so every rule lives once."""

    email = EmailPreferencesInput(required=False)
    inApp = InAppInput(required=False)


class NotificationOutput(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    createdAt = serializers.DateTimeField(source="created_at")
    readAt = serializers.DateTimeField(source="read_at", allow_null=True)


class ReadAllOutput(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many items were unread.")
    unread = serializers.IntegerField()
