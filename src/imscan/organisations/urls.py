from django.urls import path

from imscan.organisations import views

ORG = "organisations/<uuid:org_id>/"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("organisations/new/", views.org_create, name="org-create"),
    path(ORG, views.org_detail, name="org-detail"),
    path(f"{ORG}edit/", views.org_edit, name="org-edit"),
    path(f"{ORG}invite/", views.org_invite, name="org-invite"),
    path(
        f"{ORG}invitations/<int:invitation_id>/revoke/",
        views.org_invitation_revoke,
        name="org-invitation-revoke",
    ),
    path(f"{ORG}members/<int:membership_id>/role/", views.org_member_role, name="org-member-role"),
    path(
        f"{ORG}members/<int:membership_id>/remove/",
        views.org_member_remove,
        name="org-member-remove",
    ),
    path(f"{ORG}leave/", views.org_leave, name="org-leave"),
    path(f"{ORG}consultants/", views.org_consultants, name="org-consultants"),
    path(
        f"{ORG}consultants/<int:engagement_id>/revoke/",
        views.org_engagement_revoke,
        name="org-engagement-revoke",
    ),
    path("invitations/<token:token>/", views.invitation, name="invitation"),
    path("consultants/", views.consultant_directory, name="consultant-directory"),
    path("consultants/<int:pk>/", views.consultant_detail, name="consultant-detail"),
    path("consultant/profile/", views.consultant_profile, name="consultant-profile"),
    path(
        "consultant/engagements/<int:engagement_id>/",
        views.engagement_respond,
        name="engagement-respond",
    ),
    path("staff/consultants/", views.staff_consultants, name="staff-consultants"),
    path(
        "staff/consultants/<int:pk>/verify/",
        views.staff_consultant_verify,
        name="staff-consultant-verify",
    ),
    path("scan/<token:token>/claim/", views.scan_claim, name="scan-claim"),
]
