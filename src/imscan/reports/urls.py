from django.urls import path

from imscan.reports import views

urlpatterns = [
    path("scan/<token:token>/results/", views.results, name="scan-results"),
    path("scans/<uuid:scan_id>/results/", views.team_results, name="team-results"),
    path("organisations/<uuid:org_id>/progress/", views.org_progress, name="org-progress"),
    path("method/", views.method, name="method"),
]
