from django.conf import settings
from django.urls import include, path

from . import evidence_views, report_views, views

# 403 and 404 use Django's handlers with the site's 403.html and 404.html; the 500 page is a
# plain render with a reference the user can quote (views.server_error).
handler500 = "saferhub.web.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("evidence/", evidence_views.assessment, name="evidence"),
    path("evidence/report.<str:fmt>", report_views.download, name="evidence-download"),
    path("accounts/", include("saferhub.accounts.urls")),
    path("audit/", include("saferhub.audit.urls")),
    path("plans/", include("saferhub.plans.urls")),
    path("indicators/", include("saferhub.indicators.urls")),
    path("partnership/", include("saferhub.partnership.urls")),
    path("jobs/", include("saferhub.jobs.urls")),
    path("casework/", include("saferhub.casework.urls")),
]

if settings.DEBUG:
    # Django's admin writes without the services' audit entries and shows secrets such as
    # TOTP keys: a developer's tool on a developer's machine, never part of the site.
    from django.contrib import admin

    urlpatterns.append(path("django-admin/", admin.site.urls))
