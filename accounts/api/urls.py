from django.urls import path

from accounts.api import views

urlpatterns = [
    path("auth/anonymous", views.AnonymousAccountCreateApi.as_view(), name="api-auth-anonymous"),
    path("auth/sync-codes", views.SyncCodeCreateApi.as_view(), name="api-sync-codes"),
    path(
        "auth/sync-codes/redeem",
        views.SyncCodeRedeemApi.as_view(),
        name="api-sync-codes-redeem",
    ),
    path("auth/restore", views.AccountRestoreApi.as_view(), name="api-auth-restore"),
    path("devices", views.DeviceListApi.as_view(), name="api-devices"),
    path("devices/<uuid:device_id>", views.DeviceRevokeApi.as_view(), name="api-device"),
    path("me", views.MeApi.as_view(), name="api-me"),
    path("me/export", views.DataExportCreateApi.as_view(), name="api-export"),
    path(
        "me/export/<uuid:export_id>",
        views.DataExportStatusApi.as_view(),
        name="api-export-status",
    ),
    path(
        "me/export/<uuid:export_id>/download",
        views.DataExportDownloadApi.as_view(),
        name="api-export-download",
    ),
]
