from django.urls import path

import imscan.scans.converters  # noqa: F401 (registers the <token:...> converter)
from imscan.sharing import views

urlpatterns = [
    path("scans/<uuid:scan_id>/share/", views.share_links, name="share-links"),
    path(
        "scans/<uuid:scan_id>/share/<int:link_id>/revoke/",
        views.share_link_revoke,
        name="share-link-revoke",
    ),
    path("scan/<token:token>/share/", views.scan_share_links, name="scan-share-links"),
    path(
        "scan/<token:token>/share/<int:link_id>/revoke/",
        views.scan_share_link_revoke,
        name="scan-share-link-revoke",
    ),
    path("shared/<token:token>/", views.shared_report, name="shared-report"),
]
