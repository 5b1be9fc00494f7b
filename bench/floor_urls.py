"""The site's URLs plus `/bench/floor/`, for bench/dashboard.py: a signed-in page that draws
nothing of its own (base.html with an empty content block), so the dashboard's figures can be
read against what every signed-in page costs (middleware, session, user, header, bell)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import include, path


@login_required
def floor(request):
    return render(request, "base.html")


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("breathmaster.urls")),
]
