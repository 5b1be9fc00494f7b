from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from breathmaster import views
from breathmaster.api.views import api_not_found

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("progression.api.urls")),
    path("", include("social.api.urls")),
    path("", include("billing.api.urls")),
    path("", include("notifications.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("progression.urls")),
    path("", include("social.urls")),
    path("", include("billing.urls")),
    path("", include("notifications.urls")),
    path("admin/", admin.site.urls),
]

# Keep last: whatever under /api/ nothing above names is the contract's JSON 404, DEBUG or not.
urlpatterns += [re_path(r"^api/", api_not_found)]

handler400 = "breathmaster.views.bad_request"
handler404 = "breathmaster.views.page_not_found"
handler500 = "breathmaster.views.server_error"
