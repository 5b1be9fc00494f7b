from django.urls import path

from social import views

urlpatterns = [
    path("leaderboards/", views.leaderboards, name="leaderboards"),
    path("friends/", views.friends, name="friends"),
    path("friends/add/", views.friend_add, name="friend_add"),
    path(
        "friends/requests/<uuid:request_id>/<str:answer>/",
        views.friend_request_answer,
        name="friend_request_answer",
    ),
    path("friends/<uuid:user_id>/remove/", views.friend_remove, name="friend_remove"),
    path("challenges/", views.challenges, name="challenges"),
    path("challenges/new/", views.challenge_create, name="challenge_create"),
    path("challenges/<uuid:challenge_id>/", views.challenge, name="challenge"),
    path(
        "challenges/<uuid:challenge_id>/<str:action>/",
        views.challenge_action,
        name="challenge_action",
    ),
]
