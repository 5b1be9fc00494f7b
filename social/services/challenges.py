"""Challenges: creating (within the plan's limit), taking part, cheering, closing and rewards."""

import zlib
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from rest_framework import status

from accounts.models import User
from billing.selectors import entitlements_for
from breathmaster.api.errors import ApplicationError
from progression import selectors as progression_selectors
from social import events
from social.models import (
    Challenge,
    ChallengeParticipation,
    ChallengeType,
    ChallengeVisibility,
    Cheer,
)
from social.selectors import audience
from social.selectors import challenges as selectors
from social.selectors.boards import sync_required

CHEERS_PER_DAY = 10


def _not_found() -> ApplicationError:
    return ApplicationError(
        "That challenge is not there.", code="not_found", status_code=status.HTTP_404_NOT_FOUND
    )


def _lock_user(user: User, purpose: str) -> None:
    """Serialise one user's counted writes (challenges a month, cheers a day)."""
    key = zlib.crc32(f"social:{purpose}:{user.pk}".encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


@transaction.atomic
def challenge_create(
    *,
    created_by: User | None,
    title: str,
    type: str,
    goal_metric: str,
    goal_target: int,
    duration_days: int,
    starts_at: datetime,
    description: str = "",
    reward_xp: int = 0,
    reward_badge_id: str = "",
    visibility: str = ChallengeVisibility.PUBLIC,
) -> Challenge:
    """A new challenge ending `duration_days` after it starts; the database checks the rest."""
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["Please give the challenge a title."]
    if goal_target <= 0:
        errors["goal_target"] = ["The goal needs to be above zero."]
    if duration_days <= 0:
        errors["duration_days"] = ["A challenge lasts at least one day."]
    if errors:
        raise ApplicationError("Some fields need another look.", code="invalid", errors=errors)
    return Challenge.objects.create(
        created_by=created_by,
        title=title.strip(),
        description=description,
        type=type,
        goal_metric=goal_metric,
        goal_target=goal_target,
        duration_days=duration_days,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(days=duration_days),
        reward_xp=reward_xp,
        reward_badge_id=reward_badge_id,
        visibility=visibility,
    )


@transaction.atomic
def challenge_create_by_user(
    *,
    user: User,
    title: str,
    description: str,
    type: str,
    goal_metric: str,
    goal_target: int,
    duration_days: int,
    visibility: str,
    starts_at: datetime | None = None,
) -> Challenge:
    """A user's own challenge: counted against the plan's `challengesPerMonth`, no reward XP.

    Global challenges (and rewards) are staff's, made in admin.
    """
    sync_required(user=user)
    if type not in (ChallengeType.FRIENDS, ChallengeType.COMPANY, ChallengeType.CUSTOM):
        raise ApplicationError(
            "Choose friends, company or custom.",
            code="invalid",
            errors={"type": ["Choose friends, company or custom."]},
        )
    domain = ""
    if type == ChallengeType.COMPANY:
        domain = audience.company_domain_of(user=user) or ""
        if not domain:
            raise ApplicationError(
                "A company challenge needs a verified work email.",
                code="company_required",
                status_code=status.HTTP_403_FORBIDDEN,
            )
    _lock_user(user, "challenges")
    _check_monthly_limit(user)
    challenge = challenge_create(
        created_by=user,
        title=title,
        description=description,
        type=type,
        goal_metric=goal_metric,
        goal_target=goal_target,
        duration_days=duration_days,
        starts_at=starts_at or timezone.now(),
        visibility=visibility,
    )
    if domain:
        challenge.company_domain = domain
        challenge.save(update_fields=["company_domain"])
    return challenge


def _check_monthly_limit(user: User) -> None:
    limit = entitlements_for(user=user)["limits"].get("challengesPerMonth")
    if limit is None:
        return
    month_start = timezone.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    made = Challenge.objects.filter(created_by=user, created_at__gte=month_start).count()
    if made >= limit:
        raise ApplicationError(
            f"Your plan includes {limit} new challenges a month, and this month's are made. "
            "Joining others' challenges is always open.",
            code="limit_reached",
            status_code=status.HTTP_403_FORBIDDEN,
            extra={"limit": limit},
        )


def _visible(challenge_id, user: User) -> Challenge:
    sync_required(user=user)
    challenge = selectors.challenge_visible(challenge_id=challenge_id, user=user)
    if challenge is None:
        raise _not_found()
    return challenge


@transaction.atomic
def challenge_join(*, challenge: Challenge, user: User) -> ChallengeParticipation:
    """Take part; joining twice changes nothing, joining after leaving starts afresh."""
    challenge = _visible(challenge.pk, user)
    if not challenge.is_open_at(timezone.now()):
        raise ApplicationError("This challenge has already ended.", code="challenge_ended")
    participation, created = ChallengeParticipation.objects.get_or_create(
        challenge=challenge, user=user
    )
    if created or participation.is_active:
        return participation
    # Progress counts from joining, so a return starts from the day they came back.
    participation.joined_at = timezone.now()
    participation.left_at = None
    participation.completed_at = None
    participation.save(update_fields=["joined_at", "left_at", "completed_at"])
    return participation


@transaction.atomic
def challenge_leave(*, challenge: Challenge, user: User) -> None:
    """Stop taking part; leaving a challenge one is not in is already done."""
    challenge = _visible(challenge.pk, user)
    ChallengeParticipation.objects.filter(
        challenge=challenge, user=user, left_at__isnull=True
    ).update(left_at=timezone.now())


@transaction.atomic
def cheer_send(*, challenge: Challenge, from_user: User, to_user_id) -> Cheer:
    """Cheer another participant on; ten a day (the sender's own day)."""
    challenge = _visible(challenge.pk, from_user)
    # Only someone the sender can see taking part: a hidden participant is as good as absent.
    target = (
        selectors.shown_participants(challenge=challenge, viewer=from_user)
        .filter(user_id=to_user_id)
        .exclude(user=from_user)
        .first()
    )
    if target is None:
        raise ApplicationError(
            "You can cheer on other people taking part in this challenge.",
            code="not_a_participant",
            errors={"userId": ["Not someone else taking part in this challenge."]},
        )
    _lock_user(from_user, "cheers")
    today = progression_selectors.user_today(user=from_user)
    if Cheer.objects.filter(from_user=from_user, local_date=today).count() >= CHEERS_PER_DAY:
        raise ApplicationError(
            "That is all ten cheers for today. There will be more tomorrow.",
            code="cheer_limit",
        )
    cheer = Cheer.objects.create(
        from_user=from_user, to_user_id=target.user_id, challenge=challenge, local_date=today
    )
    events.announce_on_commit(
        events.cheer_sent,
        from_user_id=from_user.pk,
        to_user_id=target.user_id,
        challenge_id=challenge.pk,
        challenge_title=challenge.title,
    )
    return cheer
