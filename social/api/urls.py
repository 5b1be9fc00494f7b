from django.urls import path

from social.api import views
from social.api import views_challenges as challenges

urlpatterns = [
    path("friends", views.FriendListApi.as_view(), name="api-friends"),
    path("friends/requests", views.FriendRequestsApi.as_view(), name="api-friend-requests"),
    path(
        "friends/requests/<uuid:request_id>/accept",
        views.FriendRequestAcceptApi.as_view(),
        name="api-friend-request-accept",
    ),
    path(
        "friends/requests/<uuid:request_id>/decline",
        views.FriendRequestDeclineApi.as_view(),
        name="api-friend-request-decline",
    ),
    path("friends/<uuid:user_id>", views.FriendRemoveApi.as_view(), name="api-friend"),
    path("friends/<uuid:user_id>/block", views.FriendBlockApi.as_view(), name="api-friend-block"),
    path("leaderboards/<str:scope>", views.LeaderboardApi.as_view(), name="api-leaderboard"),
    path("challenges", challenges.ChallengeListApi.as_view(), name="api-challenges"),
    path(
        "challenges/<uuid:challenge_id>",
        challenges.ChallengeDetailApi.as_view(),
        name="api-challenge",
    ),
    path(
        "challenges/<uuid:challenge_id>/join",
        challenges.ChallengeJoinApi.as_view(),
        name="api-challenge-join",
    ),
    path(
        "challenges/<uuid:challenge_id>/leave",
        challenges.ChallengeLeaveApi.as_view(),
        name="api-challenge-leave",
    ),
    path(
        "challenges/<uuid:challenge_id>/leaderboard",
        challenges.ChallengeLeaderboardApi.as_view(),
        name="api-challenge-leaderboard",
    ),
    path(
        "challenges/<uuid:challenge_id>/cheer",
        challenges.ChallengeCheerApi.as_view(),
        name="api-challenge-cheer",
    ),
    path(
        "challenges/<uuid:challenge_id>/report",
        challenges.ChallengeReportApi.as_view(),
        name="api-challenge-report",
    ),
    path(
        "reports/display-name",
        challenges.DisplayNameReportApi.as_view(),
        name="api-report-display-name",
    ),
]
