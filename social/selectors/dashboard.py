"""What social gives the web dashboard (progression.dashboard_sections): rank and challenges."""

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from progression.dashboard_sections import ChallengeProgress, CommunityRank
from social.models import ChallengeParticipation
from social.selectors import audience
from social.selectors.boards import leaderboard_page
from social.selectors.challenges import progress_for


def dashboard_rank(user: User) -> CommunityRank | None:
    """This week's place on the first board the user shows themselves on, else nothing."""
    if user.sync_enabled_at is None:
        return None
    if user.leaderboard_global != "hidden":
        scope = "global"
    elif user.leaderboard_friends:
        scope = "friends"
    elif user.leaderboard_company and audience.company_domain_of(user=user):
        scope = "company"
    else:
        return None
    page = leaderboard_page(scope=scope, period="week", viewer=user)
    if page.me is None:
        return None
    if scope == "global" and user.leaderboard_global == "anonymous":
        shown_as = audience.pseudonym_label(user=user)
    else:
        shown_as = user.display_name or audience.pseudonym_label(user=user)
    url = f"{reverse('leaderboards')}?scope={scope}&period=week"
    return CommunityRank(
        rank=page.me["rank"], scope=scope, period="week", shown_as=shown_as, url=url
    )


def dashboard_challenges(user: User) -> list[ChallengeProgress]:
    """Running challenges the user joined, soonest ending first."""
    participations = (
        ChallengeParticipation.objects.filter(
            user=user,
            left_at__isnull=True,
            challenge__ends_at__gt=timezone.now(),
            challenge__hidden_at__isnull=True,
        )
        .select_related("challenge", "user")
        .order_by("challenge__ends_at")[:10]
    )
    found = []
    for participation in participations:
        challenge = participation.challenge
        progress = progress_for(challenge=challenge, participations=[participation])[user.pk]
        found.append(
            ChallengeProgress(
                title=challenge.title,
                metric=challenge.goal_metric,
                current=progress["current"],
                target=progress["target"],
                completed=progress["completed"],
                ends_at=challenge.ends_at,
                url=reverse("challenge", kwargs={"challenge_id": challenge.pk}),
            )
        )
    return found
