from django.urls import path

from accounts import views

urlpatterns = [
    path("link/", views.link_browser, name="link"),
    path("link/welcome/", views.link_welcome, name="link_welcome"),
    path("link/ready/", views.link_ready, name="link_ready"),
    path("account/devices/", views.devices, name="devices"),
    path("account/devices/sync-code/", views.sync_code_create, name="sync_code_create"),
    path("account/devices/<uuid:device_id>/revoke/", views.device_revoke, name="device_revoke"),
    path("account/privacy/", views.privacy, name="privacy"),
    path("account/privacy/export/", views.export_start, name="export_start"),
    path(
        "account/privacy/export/<uuid:export_id>/",
        views.export_status_view,
        name="export_status",
    ),
    path("account/claim/", views.claim, name="claim"),
    path("account/claim/confirm/<str:token>/", views.claim_confirm, name="claim_confirm"),
    path("account/delete/", views.delete_account, name="delete_account"),
]
