from django.urls import path

from imscan.scans import guided_views as views

urlpatterns = [
    path("organisations/<uuid:org_id>/scans/new/", views.create, name="guided-create"),
    path("scans/<uuid:scan_id>/", views.detail, name="guided-detail"),
    path("scans/<uuid:scan_id>/edit/", views.edit, name="guided-edit"),
    path("scans/<uuid:scan_id>/groups/", views.group_add, name="guided-group-add"),
    path(
        "scans/<uuid:scan_id>/groups/<int:group_id>/link/",
        views.group_link,
        name="guided-group-link",
    ),
    path(
        "scans/<uuid:scan_id>/groups/<int:group_id>/link/remove/",
        views.group_link_remove,
        name="guided-group-link-remove",
    ),
    path("scans/<uuid:scan_id>/invite/", views.invite, name="guided-invite"),
    path("scans/<uuid:scan_id>/remind/", views.remind, name="guided-remind"),
    path("scans/<uuid:scan_id>/close/", views.close, name="guided-close"),
    path("join/<token:token>/", views.join, name="guided-join"),
]
