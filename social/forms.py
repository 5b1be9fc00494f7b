"""Forms of the social web pages; the rules themselves live in the services."""

from django import forms

from social.models import GoalMetric


class FriendCodeForm(forms.Form):
    friend_code = forms.CharField(label="Friend code", max_length=64)


class ChallengeForm(forms.Form):
    title = forms.CharField(max_length=80)
    description = forms.CharField(max_length=500, required=False, widget=forms.Textarea)
    type = forms.ChoiceField(
        choices=[("custom", "Just me / anyone"), ("friends", "Friends"), ("company", "Company")]
    )
    goal_metric = forms.ChoiceField(label="Goal", choices=GoalMetric.choices)
    goal_target = forms.IntegerField(label="Target", min_value=1, max_value=100_000)
    duration_days = forms.IntegerField(label="Days", min_value=1, max_value=365, initial=7)
    visibility = forms.ChoiceField(
        choices=[("friends", "Friends"), ("public", "Everyone"), ("private", "Only me")]
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500)


class CheerForm(forms.Form):
    user_id = forms.UUIDField()
