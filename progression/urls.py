from django.urls import path

from progression import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
]
