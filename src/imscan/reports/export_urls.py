from django.urls import path

from imscan.reports import export_views

urlpatterns = [
    path(
        "scans/<uuid:scan_id>/export/<str:kind>.<str:fmt>",
        export_views.team_export,
        name="team-export",
    ),
    path(
        "scan/<token:token>/export/<str:kind>.<str:fmt>",
        export_views.scan_export,
        name="scan-export",
    ),
]
