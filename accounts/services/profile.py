from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import extensions, validators
from accounts.models import LeaderboardVisibility, User
from breathmaster.api.errors import ApplicationError


def _validate_leaderboard_global(value: str) -> None:
    if value not in LeaderboardVisibility.values:
        raise ValidationError("Choose hidden, anonymous or named.")


def _validate_bool(value: Any) -> None:
    if not isinstance(value, bool):
        raise ValidationError("Use true or false.")


# Every profile field a user may change, with its rule. Both the API and the web pages write
# through `user_profile_update`, so a rule lives here once.
EDITABLE_FIELDS = {
    "display_name": validators.validate_display_name,
    "avatar_url": validators.validate_avatar_url,
    "timezone": validators.validate_timezone_name,
    "share_progress": _validate_bool,
    "share_streaks": _validate_bool,
    "allow_friend_requests": _validate_bool,
    "data_retention_days": validators.validate_retention_days,
    "leaderboard_global": _validate_leaderboard_global,
    "leaderboard_friends": _validate_bool,
    "leaderboard_company": _validate_bool,
}


@transaction.atomic
def user_profile_update(*, user: User, changes: Mapping[str, Any]) -> User:
    """Change profile and privacy fields; all of them or, when one is wrong, none."""
    errors: dict[str, list[str]] = {}
    for field, value in changes.items():
        rule = EDITABLE_FIELDS.get(field)
        if rule is None:
            errors[field] = ["This field cannot be changed."]
            continue
        try:
            rule(value)
        except ValidationError as error:
            errors[field] = list(error.messages)
    if errors:
        raise ApplicationError("Some fields need another look.", code="invalid", errors=errors)
    for field, value in changes.items():
        setattr(user, field, value)
    if changes:
        user.save(update_fields=list(changes))
    return user


@transaction.atomic
def user_sync_enable(*, user: User) -> datetime:
    """Record the user's opt-in to sync; idempotent, the first time is the one kept."""
    enabled = User.objects.filter(pk=user.pk, sync_enabled_at__isnull=True).update(
        sync_enabled_at=timezone.now()
    )
    user.sync_enabled_at = User.objects.values_list("sync_enabled_at", flat=True).get(pk=user.pk)
    if enabled:
        for hook in extensions.return_hooks:
            hook(user)
    return user.sync_enabled_at
