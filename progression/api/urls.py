from django.urls import path

from progression.api import views

urlpatterns = [
    path("sync", views.SyncApplyApi.as_view(), name="sync-apply"),
    path("sync/state", views.SyncStateApi.as_view(), name="sync-state"),
    path("sync/import", views.SyncImportApi.as_view(), name="sync-import"),
    path("sync/eligibility", views.SyncEligibilityApi.as_view(), name="sync-eligibility"),
    path("sync/enable", views.SyncEnableApi.as_view(), name="sync-enable"),
    path("stats", views.StatsSeriesApi.as_view(), name="stats-series"),
]
