"""What social gives the web dashboard (progression.dashboard_sections): rank and challenges."""

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from progression.dashboard_sections import ChallengeProgress, CommunityRank
from social.models import Challenge, ChallengeParticipation
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
    found = []
    for participation in _joined_running(user):
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


_PARTICIPATION = ChallengeParticipation._meta.concrete_fields
_CHALLENGE = Challenge._meta.concrete_fields
_PARTICIPATION_FIELDS = [field.attname for field in _PARTICIPATION]
_CHALLENGE_FIELDS = [field.attname for field in _CHALLENGE]
# Fixed text, prepared once per connection: most dashboards find no challenge, and compiling
# the ORM's join for that cost more than the rest of the section.
_JOINED_RUNNING_SQL = f"""
    SELECT {", ".join(f"p.{field.column}" for field in _PARTICIPATION)},
        {", ".join(f"c.{field.column}" for field in _CHALLENGE)}
    FROM social_challengeparticipation p JOIN social_challenge c ON c.id = p.challenge_id
    WHERE p.user_id = %(user)s AND p.left_at IS NULL
        AND c.hidden_at IS NULL AND c.ends_at > %(now)s
    ORDER BY c.ends_at
    LIMIT 10
"""


def _joined_running(user: User) -> list[ChallengeParticipation]:
    """The user's participations in challenges still running and not hidden, soonest ending
    first (ten at most), each with its challenge and the user already attached."""
    with connection.cursor() as cursor:
        cursor.execute(_JOINED_RUNNING_SQL, {"user": user.pk, "now": timezone.now()})
        rows = cursor.fetchall()
    split = len(_PARTICIPATION_FIELDS)
    participations = []
    for row in rows:
        participation = ChallengeParticipation.from_db(
            connection.alias, _PARTICIPATION_FIELDS, row[:split]
        )
        participation.challenge = Challenge.from_db(
            connection.alias, _CHALLENGE_FIELDS, row[split:]
        )
        participation.user = user
        participations.append(participation)
    return participations
