"""The site's URLs plus `/bench/floor/`, for bench/dashboard.py: a signed-in page that draws
nothing of its own (base.html with an empty content block), so the dashboard's figures can be
read against what every signed-in page costs (middleware, session, user, header, bell).

The site's patterns come first and unchanged, so the dashboard resolves as it does in
production."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from breathmaster import urls as site


@login_required
def floor(request):
    return render(request, "base.html")


urlpatterns = [*site.urlpatterns, path("bench/floor/", floor)]
handler400, handler404, handler500 = site.handler400, site.handler404, site.handler500
