from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("saferhub.accounts.urls")),
    path("audit/", include("saferhub.audit.urls")),
    path("django-admin/", admin.site.urls),
]
