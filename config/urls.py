import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from osallistu.core import views as core_views
from osallistu.opendata import views as opendata_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", include(("config.api", "api"), namespace="api-v1")),
    # Open311 GeoReport v2: its own paths and formats, outside the language prefixes.
    path("open311/", include("osallistu.feedback.open311.urls")),
    # The nightly downloads; a web server in front may serve OPEN_DATA_ROOT here itself.
    path("open-data/files/<str:name>", opendata_views.download, name="opendata-download"),
]

urlpatterns += i18n_patterns(
    path("", include("osallistu.core.urls")),
    path("accounts/", include("osallistu.accounts.urls")),
    path("identity/", include("osallistu.identity.urls")),
    path("budgeting/", include("osallistu.budgeting.urls")),
    path("surveys/", include("osallistu.surveys.urls")),
    path("premises/", include("osallistu.premises.urls")),
    path("initiatives/", include("osallistu.initiatives.urls")),
    path("feedback/", include("osallistu.feedback.urls")),
    path("districts/", include("osallistu.coaches.district_urls")),
    path("coaches/", include("osallistu.coaches.urls")),
    path("volunteering/", include("osallistu.volunteering.urls")),
    path("monitoring/", include("osallistu.monitoring.urls")),
    path("open-data/", include("osallistu.opendata.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

if settings.SERVE_MEDIA:
    # In production the web server or object storage serves uploads. Django's static()
    # helper serves nothing with DEBUG off, which the demo runs with.
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

if settings.HELSINKI_PROFILE_GDPR_API:
    urlpatterns += [path("gdpr-api/", include("helsinki_gdpr.urls"))]

handler400 = "osallistu.core.views.bad_request"
handler403 = "osallistu.core.views.permission_denied"
handler404 = "osallistu.core.views.page_not_found"
handler500 = "osallistu.core.views.server_error"
