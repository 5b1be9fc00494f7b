"""Demo friends and a challenge for `make run`, on top of progression's demo users. Idempotent."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import user_profile_update
from social import selectors, services
from social.models import (
    Challenge,
    ChallengeType,
    ChallengeVisibility,
    FriendRequest,
    FriendRequestStatus,
    GoalMetric,
)

DEMO_EMAILS = ["maya@example.com", "theo@example.com", "ana@example.com"]
DEMO_CHALLENGE = "Seven calm days"


class Command(BaseCommand):
    help = "Make the demo users friends and give them a challenge (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        people = {user.email: user for user in User.objects.filter(email__in=DEMO_EMAILS)}
        if len(people) < len(DEMO_EMAILS):
            self.stdout.write("The demo users are not there yet (run load_demo first); skipped.")
            return
        maya, theo, ana = (people[email] for email in DEMO_EMAILS)
        # Maya and Theo welcome friend requests and show on the boards (Maya by name, Theo
        # as Anonymous_NNNN) so the demo has something to show; Ana keeps every default.
        boards = {"leaderboard_friends": True, "allow_friend_requests": True}
        user_profile_update(user=maya, changes={**boards, "leaderboard_global": "named"})
        user_profile_update(user=theo, changes={**boards, "leaderboard_global": "anonymous"})
        if not selectors.are_friends(user=maya, other=theo):
            request = services.friend_request_send(from_user=maya, friend_code=theo.friend_code)
            services.friend_request_accept(request=request, by=theo)
        if not FriendRequest.objects.filter(from_user=ana, to_user=maya).exists():
            services.friend_request_send(from_user=ana, friend_code=maya.friend_code)
        challenge = self.seven_calm_days()
        for user in (maya, theo):
            services.challenge_join(challenge=challenge, user=user)
        pending = FriendRequest.objects.filter(status=FriendRequestStatus.PENDING).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Social demo is ready: Maya and Theo are friends, {pending} request(s) waiting, "
                f"“{challenge.title}” has {challenge.participations.count()} participants."
            )
        )

    def seven_calm_days(self) -> Challenge:
        existing = Challenge.objects.filter(title=DEMO_CHALLENGE, created_by=None).first()
        if existing is not None:
            return existing
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return services.challenge_create(
            created_by=None,
            title=DEMO_CHALLENGE,
            description="Breathe a little every day for a week. Any length counts.",
            type=ChallengeType.GLOBAL,
            goal_metric=GoalMetric.STREAK,
            goal_target=7,
            duration_days=7,
            starts_at=today,
            reward_xp=50,
            visibility=ChallengeVisibility.PUBLIC,
        )
