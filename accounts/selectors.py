from collections.abc import Callable, Mapping
from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts import extensions
from accounts.models import DataExport, Device, User
from breathmaster.timestamps import iso

EXPORT_VERSION = 1
EXPORT_SCHEMA = (
    "Breath Master data export, version 1. `profile`: the account and its settings; "
    "`privacy`: who may see what; `emailAddresses`: addresses and whether each is verified; "
    "`devices`: every signed-in device (tokens are never included); `deletionRequests`: dates "
    "of scheduled deletions; every further top-level key is one part of the service (synced "
    "days, friends, challenges, subscription, notifications, ...) as that part keeps it. "
    "Times are ISO 8601 with offset."
)


def user_get_active(*, user_id) -> User | None:
    """An account that is in use (not scheduled for deletion), for other apps' tasks."""
    return User.objects.filter(pk=user_id, is_active=True).first()


def users_in_community() -> QuerySet[User]:
    """Accounts others may see at all (boards, challenge boards): in use, that is not scheduled
    for deletion, and with sync turned on. Each app adds its own rules (social: staff bans)."""
    return User.objects.filter(is_active=True, sync_enabled_at__isnull=False)


def user_in_community_sql(alias: str) -> str:
    """`users_in_community` as a condition on `accounts_user AS <alias>`, for bulk reads in SQL."""
    return f"{alias}.is_active AND {alias}.sync_enabled_at IS NOT NULL"


def user_by_friend_code(*, friend_code: str) -> User | None:
    return User.objects.filter(friend_code=friend_code.strip(), is_active=True).first()


def users_by_ids(*, user_ids) -> QuerySet[User]:
    """Accounts by id (a list or a subquery), in display-name order."""
    return User.objects.filter(pk__in=user_ids).order_by("display_name", "pk")


def user_email_verified(*, user: User) -> bool:
    if not user.email:
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def users_with_email_verified(*, users: QuerySet[User]) -> QuerySet[User]:
    """`users`, each annotated `email_verified` by `user_email_verified`'s rule, in one query."""
    verified = EmailAddress.objects.filter(
        user=OuterRef("pk"), email__iexact=OuterRef("email"), verified=True
    )
    return users.annotate(email_verified=Exists(verified))


def user_privacy(*, user: User) -> dict:
    return {
        "shareProgress": user.share_progress,
        "shareStreaks": user.share_streaks,
        "allowFriendRequests": user.allow_friend_requests,
        "dataRetentionDays": user.data_retention_days,
        "leaderboard": {
            "global": user.leaderboard_global,
            "friends": user.leaderboard_friends,
            "company": user.leaderboard_company,
        },
    }


def user_profile_sections(*, user: User) -> dict[str, Any]:
    """What higher apps add to `/me` (`eligibility`, `tier`, `billing`, ...), through the
    registry in `accounts.extensions`; a name no app registered shows its default."""
    sections: dict[str, Any] = dict(extensions.PROFILE_DEFAULTS)
    for name, section in extensions.profile_sections.items():
        sections[name] = section(user)
    return sections


def device_list(*, user: User) -> QuerySet[Device]:
    return Device.objects.filter(user=user, revoked_at__isnull=True)


def data_export_get(*, user: User, export_id) -> DataExport | None:
    """The user's own export; someone else's is as good as missing."""
    return DataExport.objects.filter(pk=export_id, user=user).first()


def user_export_document(
    *, user: User, sections: Mapping[str, Callable[[User], Any]]
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "version": EXPORT_VERSION,
        "schema": EXPORT_SCHEMA,
        "exportedAt": timezone.now().isoformat(),
        "profile": {
            "userId": str(user.pk),
            "email": user.email,
            "displayName": user.display_name,
            "avatarUrl": user.avatar_url,
            "timezone": user.timezone,
            "friendCode": user.friend_code,
            "syncEnabledAt": iso(user.sync_enabled_at),
            "createdAt": iso(user.date_joined),
            "lastLogin": iso(user.last_login),
        },
        "privacy": user_privacy(user=user),
        "emailAddresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "devices": [
            {
                "id": str(device.pk),
                "name": device.name,
                "platform": device.platform,
                "createdAt": iso(device.created_at),
                "lastSeenAt": iso(device.last_seen_at),
                "revokedAt": iso(device.revoked_at),
            }
            for device in Device.objects.filter(user=user).order_by("created_at")
        ],
        "deletionRequests": [
            {"requestedAt": iso(request.requested_at), "scheduledFor": iso(request.scheduled_for)}
            for request in user.deletion_requests.all()
        ],
    }
    for name, section in sections.items():
        document[name] = section(user)
    return document


def user_me(*, user: User) -> dict[str, Any]:
    """Everything `/me` shows, in model terms; the output serializer names it for the API."""
    return {
        "id": user.pk,
        "display_name": user.display_name,
        "avatar_url": user.avatar_url,
        "timezone": user.timezone,
        "email": user.email or None,
        "email_verified": user_email_verified(user=user),
        "friend_code": user.friend_code,
        "is_sync_enabled": user.is_sync_enabled,
        "sync_enabled_at": user.sync_enabled_at,
        "privacy": user_privacy(user=user),
        "date_joined": user.date_joined,
        "sections": user_profile_sections(user=user),
    }


def data_export_get_any(*, export_id) -> DataExport | None:
    """Any user's export: only for the download, which then checks who may have it."""
    return DataExport.objects.filter(pk=export_id).first()
