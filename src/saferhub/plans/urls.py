from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.strategy_list, name="list"),
    path("mine/", views.my_actions, name="mine"),
    path("import/", views.plan_import, name="import"),
    path("<int:pk>/", views.strategy_detail, name="detail"),
    path("<int:pk>/health/", views.strategy_health, name="health"),
    path("<int:pk>/export.<str:fmt>", views.strategy_export, name="export"),
    path("<int:pk>/board-report.<str:fmt>", views.board_report, name="board-report"),
    path("<int:pk>/rollover/", views.strategy_rollover, name="rollover"),
    path("objectives/<int:pk>/", views.objective_edit, name="objective-edit"),
    path("objectives/<int:objective_pk>/add-action/", views.action_add, name="action-add"),
    path("objectives/<int:objective_pk>/add-measure/", views.measure_add, name="measure-add"),
    path("measures/<int:pk>/", views.measure_edit, name="measure-edit"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
]
