from django.urls import path

import imscan.scans.converters  # noqa: F401 (registers the <token:...> converter)
from imscan.insights import dashboard_views, followup_views, views

urlpatterns = [
    path(
        "organisations/<uuid:org_id>/sharing/",
        views.org_participation,
        name="org-participation",
    ),
    path("staff/insights/", dashboard_views.programme_dashboard, name="programme-dashboard"),
    path(
        "staff/insights/dashboard.csv",
        dashboard_views.programme_dashboard_csv,
        name="programme-dashboard-csv",
    ),
    path("followup/<token:token>/", followup_views.followup, name="followup"),
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/levels.<str:fmt>", views.open_data_file, name="open-data-file"),
]
