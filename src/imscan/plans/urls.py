from django.urls import path

import imscan.scans.converters  # noqa: F401 (registers the <token:...> converter)
from imscan.plans import views

urlpatterns = [
    path("scans/<uuid:scan_id>/plan/", views.scan_plan, name="scan-plan"),
    path("scans/<uuid:scan_id>/plan/new/", views.scan_plan_create, name="scan-plan-create"),
    path("plans/<uuid:plan_id>/", views.plan_detail, name="plan-detail"),
    path("plans/<uuid:plan_id>/parts/", views.plan_parts, name="plan-parts"),
    path("plans/<uuid:plan_id>/actions/new/", views.plan_action_add, name="plan-action-add"),
    path(
        "plans/<uuid:plan_id>/actions/<int:action_id>/",
        views.plan_action_edit,
        name="plan-action-edit",
    ),
    path(
        "plans/<uuid:plan_id>/actions/<int:action_id>/status/",
        views.plan_action_status,
        name="plan-action-status",
    ),
    path(
        "plans/<uuid:plan_id>/actions/<int:action_id>/delete/",
        views.plan_action_delete,
        name="plan-action-delete",
    ),
    path("plans/<uuid:plan_id>/export/plan.<str:fmt>", views.plan_export, name="plan-export"),
    path("scan/<token:token>/plan/", views.respondent_plan, name="respondent-plan"),
    path(
        "scan/<token:token>/plan/parts/", views.respondent_plan_parts, name="respondent-plan-parts"
    ),
    path(
        "scan/<token:token>/plan/actions/new/",
        views.respondent_plan_action_add,
        name="respondent-plan-action-add",
    ),
    path(
        "scan/<token:token>/plan/actions/<int:action_id>/",
        views.respondent_plan_action_edit,
        name="respondent-plan-action-edit",
    ),
    path(
        "scan/<token:token>/plan/actions/<int:action_id>/status/",
        views.respondent_plan_action_status,
        name="respondent-plan-action-status",
    ),
    path(
        "scan/<token:token>/plan/actions/<int:action_id>/delete/",
        views.respondent_plan_action_delete,
        name="respondent-plan-action-delete",
    ),
    path(
        "scan/<token:token>/plan/export/plan.<str:fmt>",
        views.respondent_plan_export,
        name="respondent-plan-export",
    ),
]
