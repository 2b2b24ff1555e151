from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/progress", views.progress, name="progress"),
    path("<uuid:pk>/file", views.download, name="download"),
]
