from django.urls import path

from notifications.api import views

urlpatterns = [
    path(
        "notifications/preferences",
        views.PreferencesApi.as_view(),
        name="api-notification-preferences",
    ),
    path("notifications", views.NotificationListApi.as_view(), name="api-notifications"),
    path(
        "notifications/read-all",
        views.NotificationReadAllApi.as_view(),
        name="api-notifications-read-all",
    ),
    path(
        "notifications/<uuid:notification_id>/read",
        views.NotificationReadApi.as_view(),
        name="api-notification-read",
    ),
]
