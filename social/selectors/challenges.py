"""Reads about challenges: who may see one, progress from synced days, the challenge board."""

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from progression import selectors as progression_selectors
from progression.selectors.boards import counted_days
from social.models import (
    Challenge,
    ChallengeParticipation,
    ChallengeType,
    ChallengeVisibility,
    Friendship,
    GoalMetric,
)
from social.selectors import audience
from social.selectors.friends import friend_ids_of


def challenges_visible_to(*, user: User) -> QuerySet[Challenge]:
    """What the user may see: public ones (a company's only to its people), friends' ones to
    their friends, their own, and any they take part in; never one staff hid."""
    domain = audience.company_domain_of(user=user)
    same_company = Q(type=ChallengeType.COMPANY, company_domain=domain) if domain else Q(pk=None)
    open_to_user = ~Q(type=ChallengeType.COMPANY) | same_company
    return Challenge.objects.filter(
        Q(visibility=ChallengeVisibility.PUBLIC) & open_to_user
        | Q(created_by=user)
        | Q(visibility=ChallengeVisibility.FRIENDS, created_by__in=friend_ids_of(user=user))
        & open_to_user
        | Q(pk__in=ChallengeParticipation.objects.filter(user=user).values("challenge_id"))
    ).filter(hidden_at__isnull=True)


def challenge_visible(*, challenge_id, user: User) -> Challenge | None:
    return challenges_visible_to(user=user).filter(pk=challenge_id).first()


def challenge_list(
    *, user: User, type: str | None, status: str | None, joined: bool
) -> QuerySet[Challenge]:
    challenges = challenges_visible_to(user=user)
    if type:
        challenges = challenges.filter(type=type)
    now = timezone.now()
    if status == "active":
        challenges = challenges.filter(ends_at__gt=now)
    elif status == "ended":
        challenges = challenges.filter(ends_at__lte=now)
    if joined:
        challenges = challenges.filter(
            participations__user=user, participations__left_at__isnull=True
        )
    return challenges.order_by("-starts_at", "pk")


def challenge_participation(*, challenge: Challenge, user: User) -> ChallengeParticipation | None:
    return ChallengeParticipation.objects.filter(challenge=challenge, user=user).first()


def _local_date(moment: datetime, zone) -> date:
    return moment.astimezone(zone).date()


def progress_window(
    *, challenge: Challenge, participation: ChallengeParticipation, user: User
) -> tuple[date, date]:
    """The user's own days that count: from the day they joined (or the start) to the end."""
    zone = progression_selectors.user_zone(user=user)
    first = max(_local_date(participation.joined_at, zone), _local_date(challenge.starts_at, zone))
    last = _local_date(challenge.ends_at - timedelta(microseconds=1), zone)
    return first, last


def measure(metric: str, days: list[dict]) -> int:
    """The goal's metric over the counted days (oldest first)."""
    if metric == GoalMetric.TOTAL_MINUTES:
        return sum(day["minutes"] for day in days)
    if metric == GoalMetric.SESSIONS:
        return sum(day["sessions"] for day in days)
    active = [day["date"] for day in days if day["sessions"] > 0]
    if metric == GoalMetric.CONSISTENCY:
        return len(active)
    longest = run = 0
    for index, day in enumerate(active):
        run = run + 1 if index and active[index - 1] + timedelta(days=1) == day else 1
        longest = max(longest, run)
    return longest


def _reached_on(metric: str, target: int, days: list[dict]) -> date | None:
    """The first day the goal was met (the cumulative metric reached the target)."""
    for index in range(len(days)):
        if measure(metric, days[: index + 1]) >= target:
            return days[index]["date"]
    return None


def progress_for(
    *, challenge: Challenge, participations: list[ChallengeParticipation]
) -> dict[UUID, dict]:
    """`{current, target, percent, completed, completedAt}` for each participation's user."""
    if not participations:
        return {}
    windows = {
        p.user_id: progress_window(challenge=challenge, participation=p, user=p.user)
        for p in participations
    }
    days = counted_days(
        user_ids=list(windows),
        first=min(first for first, _ in windows.values()),
        last=max(last for _, last in windows.values()),
    )
    progress = {}
    for p in participations:
        first, last = windows[p.user_id]
        counted = [d for d in days.get(p.user_id, []) if first <= d["date"] <= last]
        progress[p.user_id] = _progress(challenge, p, counted)
    return progress


def _progress(challenge: Challenge, participation: ChallengeParticipation, days) -> dict:
    current = measure(challenge.goal_metric, days)
    target = challenge.goal_target
    completed = current >= target
    completed_at = participation.completed_at
    if completed and completed_at is None:
        reached = _reached_on(challenge.goal_metric, target, days)
        completed_at = datetime.combine(reached, datetime.min.time(), tzinfo=UTC)
    return {
        "current": current,
        "target": target,
        "percent": min(100, int(current * 100 / target)),
        "completed": completed,
        "completed_at": completed_at if completed else None,
    }


def shown_participants(*, challenge: Challenge, viewer: User) -> QuerySet:
    """Active participations the viewer may see: their own, and others who show themselves
    (to everyone, or to friends when the viewer is one); never a banned or leaving account."""
    friends = Friendship.objects.filter(user=viewer).values("friend_id")
    showing = audience.rankable_users().filter(
        ~Q(leaderboard_global="hidden") | Q(pk__in=friends, leaderboard_friends=True)
    )
    return ChallengeParticipation.objects.filter(challenge=challenge, left_at__isnull=True).filter(
        Q(user=viewer) | Q(user__in=showing)
    )


def challenge_summary(*, challenge: Challenge, viewer: User) -> dict:
    """The contract's challenge object for this viewer; counts hold only people it may see."""
    active = shown_participants(challenge=challenge, viewer=viewer)
    mine = active.filter(user=viewer).select_related("user").first()
    my_progress = None
    if mine is not None:
        my_progress = progress_for(challenge=challenge, participations=[mine])[viewer.pk]
    friends = Friendship.objects.filter(user=viewer).values("friend_id")
    return {
        "challenge": challenge,
        "participants": {
            "total": active.count(),
            "completed": active.filter(completed_at__isnull=False).count(),
            "friends": active.filter(user__in=friends).count(),
        },
        "my_progress": my_progress,
    }


def challenge_board(*, challenge: Challenge, viewer: User, offset: int) -> tuple[list[dict], bool]:
    """Participants by progress (competition ranks), as each lets the viewer see them."""
    shown = list(shown_participants(challenge=challenge, viewer=viewer).select_related("user"))
    friend_ids = set(Friendship.objects.filter(user=viewer).values_list("friend_id", flat=True))
    progress = progress_for(challenge=challenge, participations=shown)
    ordered = sorted(shown, key=lambda p: (-progress[p.user_id]["current"], p.joined_at))
    ranks, previous = [], None
    for index, p in enumerate(ordered):
        current = progress[p.user_id]["current"]
        rank = previous[1] if previous and previous[0] == current else index + 1
        previous = (current, rank)
        ranks.append(rank)
    from social.selectors.boards import PAGE_SIZE

    page = list(zip(ordered, ranks, strict=True))[offset : offset + PAGE_SIZE]
    labels = audience.pseudonym_labels(user_ids=[p.user_id for p, _rank in page])
    rows = [
        _board_row(p.user, viewer, friend_ids, rank, progress[p.user_id], labels)
        for p, rank in page
    ]
    return rows, offset + PAGE_SIZE < len(ordered)


def _board_row(user, viewer: User, friend_ids: set, rank: int, progress: dict, labels) -> dict:
    known = user.pk == viewer.pk or (user.pk in friend_ids and user.leaderboard_friends)
    named = known or user.leaderboard_global == "named"
    name = user.display_name if named and user.display_name else labels[user.pk]
    return {
        "rank": rank,
        "user_id": user.pk if named else None,
        "display_name": name,
        "avatar_url": (user.avatar_url or None) if named else None,
        "current": progress["current"],
        "percent": progress["percent"],
        "completed": progress["completed"],
        "is_me": user.pk == viewer.pk,
    }


def challenges_shared_with_friends(*, user: User) -> dict:
    """For each friend: one running challenge both take part in (where a cheer can go)."""
    mine = ChallengeParticipation.objects.filter(
        user=user, left_at__isnull=True, challenge__ends_at__gt=timezone.now()
    ).values("challenge_id")
    shared = (
        ChallengeParticipation.objects.filter(
            challenge_id__in=mine,
            left_at__isnull=True,
            user__in=Friendship.objects.filter(user=user).values("friend_id"),
            challenge__hidden_at__isnull=True,
        )
        .select_related("challenge")
        .order_by("challenge__ends_at")
    )
    found = {}
    for participation in shared:
        found.setdefault(participation.user_id, participation.challenge)
    return found
