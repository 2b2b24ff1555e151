from django.contrib import admin
from django.urls import include, path

from . import evidence_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("evidence/", evidence_views.assessment, name="evidence"),
    path("evidence/report.<str:fmt>", evidence_views.download, name="evidence-download"),
    path("accounts/", include("saferhub.accounts.urls")),
    path("audit/", include("saferhub.audit.urls")),
    path("plans/", include("saferhub.plans.urls")),
    path("indicators/", include("saferhub.indicators.urls")),
    path("django-admin/", admin.site.urls),
]
