from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.edit, name="new"),
    path("refresh/", views.refresh, name="refresh"),
    path("youth-justice/", views.youth_justice_import, name="youth-justice"),
    path("export.<str:fmt>", views.export_all, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/values/", views.enter_value, name="enter"),
    path("<int:pk>/export.<str:fmt>", views.export_one, name="export-one"),
]
