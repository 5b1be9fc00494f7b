"""Reports into the staff's queue, and what staff do about them, each step recorded."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import user_profile_update
from breathmaster.api.errors import ApplicationError
from social.models import (
    BoardBan,
    Challenge,
    ModerationAction,
    ModerationActionKind,
    Report,
    ReportKind,
    ReportStatus,
)

RESET_DISPLAY_NAME = "Breather"


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise ApplicationError(
            "Please say in a few words what is wrong (up to 500 characters).",
            code="invalid",
            errors={"reason": ["Say in a few words what is wrong (1 to 500 characters)."]},
        )
    return reason


@transaction.atomic
def challenge_report(*, challenge: Challenge, reporter: User, reason: str) -> Report:
    return Report.objects.create(
        kind=ReportKind.CHALLENGE,
        reporter=reporter,
        challenge=challenge,
        reported_user=challenge.created_by,
        reported_name=challenge.title[:80],
        reason=_reason(reason),
    )


@transaction.atomic
def display_name_report(*, reported: User, reporter: User, shown_as: str, reason: str) -> Report:
    return Report.objects.create(
        kind=ReportKind.DISPLAY_NAME,
        reporter=reporter,
        reported_user=reported,
        reported_name=shown_as[:80],
        reason=_reason(reason),
    )


def _record(kind: str, *, staff: User, report: Report | None = None, **targets):
    return ModerationAction.objects.create(kind=kind, staff=staff, report=report, **targets)


@transaction.atomic
def challenge_hide(*, challenge: Challenge, staff: User, report: Report | None = None) -> None:
    """Hidden from everyone at once: every read of challenges leaves it out."""
    Challenge.objects.filter(pk=challenge.pk, hidden_at__isnull=True).update(
        hidden_at=timezone.now()
    )
    _record(ModerationActionKind.HIDE_CHALLENGE, staff=staff, report=report, challenge=challenge)


@transaction.atomic
def display_name_reset(*, user: User, staff: User, report: Report | None = None) -> None:
    """A neutral name in place of the reported one (through accounts' own service)."""
    user_profile_update(user=user, changes={"display_name": RESET_DISPLAY_NAME})
    _record(ModerationActionKind.RESET_DISPLAY_NAME, staff=staff, report=report, target_user=user)


@transaction.atomic
def board_ban(*, user: User, staff: User, report: Report | None = None, reason: str = "") -> None:
    """Off every leaderboard and challenge board at once, until staff lift it."""
    BoardBan.objects.get_or_create(user=user, defaults={"banned_by": staff, "reason": reason})
    _record(ModerationActionKind.BAN, staff=staff, report=report, target_user=user)
    _refile_on_commit(user)


@transaction.atomic
def board_unban(*, user: User, staff: User, report: Report | None = None) -> None:
    BoardBan.objects.filter(user=user).delete()
    _record(ModerationActionKind.UNBAN, staff=staff, report=report, target_user=user)
    _refile_on_commit(user)


@transaction.atomic
def report_resolve(*, report: Report, staff: User, note: str = "") -> None:
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.RESOLVED)
    _record(ModerationActionKind.RESOLVE, staff=staff, report=report, note=note[:200])


def _refile_on_commit(user: User) -> None:
    from social.services.boards import board_users_refresh

    transaction.on_commit(lambda: board_users_refresh(user_ids=[user.pk]))
