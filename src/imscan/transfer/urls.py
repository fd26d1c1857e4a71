from django.urls import path

from imscan.transfer import views

urlpatterns = [
    path("organisations/<uuid:org_id>/import/", views.scan_import, name="org-import"),
]
