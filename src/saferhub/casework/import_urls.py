"""The import pages, mounted by casework/urls.py as `path("import/", include(...))`: their
names are then in the casework namespace (casework:import, -preview, -done)."""

from django.urls import path

from . import import_views

urlpatterns = [
    path("", import_views.upload, name="import"),
    path("preview/", import_views.preview, name="import-preview"),
    path("done/", import_views.done, name="import-done"),
]
