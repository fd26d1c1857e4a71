"""Organisations, members, invitations, consultants and engagements: thin views.

Each view parses the request, calls one service or the selectors and presenters, and
renders. A refusal (`services.Refused`) re-renders the page with its message and the
user's input; nothing has changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from imscan import permissions
from imscan.organisations import presenters, selectors, services
from imscan.organisations.forms import (
    ClaimForm,
    ConsultantProfileForm,
    DirectorySearchForm,
    EngagementForm,
    InvitationForm,
    OrganisationForm,
    RoleForm,
)
from imscan.organisations.models import Organisation
from imscan.permissions import Action, for_organisation, public, signed_in, staff_only
from imscan.scans.access import ScanAccess, with_respondent


def _user(request: HttpRequest) -> User:
    """The logged-in user (the view's decorator has made sure there is one)."""
    assert isinstance(request.user, User)
    return request.user


def _site(request: HttpRequest) -> dict[str, str]:
    """Where e-mailed links point, and the language they are written in."""
    return {"site_url": request.build_absolute_uri("/"), "language": get_language()}


# ---- dashboard ----


@require_http_methods(["GET", "POST"])
@signed_in
def dashboard(request: HttpRequest) -> HttpResponse:
    """My organisations, invitations, engagements; POST accepts one of my invitations."""
    user = _user(request)
    error = ""
    if request.method == "POST":
        invitation = selectors.invitation_for_user(user, _int(request.POST.get("invitation")))
        if invitation is None:
            raise Http404
        try:
            services.invitation_accept(invitation=invitation, user=user)
        except services.Refused as refusal:
            error = str(refusal)
        else:
            messages.success(
                request,
                _("You are now a member of %(name)s.") % {"name": invitation.organisation.name},
            )
            return redirect("org-detail", org_id=invitation.organisation.public_id)
    context = presenters.dashboard(user)
    context["error"] = error
    return render(request, "organisations/dashboard.html", context, status=409 if error else 200)


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0


# ---- organisations ----


@require_http_methods(["GET", "POST"])
@signed_in
def org_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(user=_user(request), **form.cleaned_data)
        messages.success(
            request,
            _("%(name)s has been created. You are its owner.") % {"name": organisation.name},
        )
        return redirect("org-detail", org_id=organisation.public_id)
    status = 400 if form.errors else 200
    return render(request, "organisations/form.html", {"form": form}, status=status)


@require_GET
@for_organisation(Action.VIEW)
def org_detail(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    context = presenters.organisation_page(request.user, organisation)
    return render(request, "organisations/detail.html", context)


def _detail_refused(
    request: HttpRequest, organisation: Organisation, status: int, **kwargs: Any
) -> HttpResponse:
    context = presenters.organisation_page(request.user, organisation, **kwargs)
    return render(request, "organisations/detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
@for_organisation(Action.MANAGE)
def org_edit(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_update(organisation=organisation, **form.cleaned_data)
        messages.success(request, _("The details have been saved."))
        return redirect("org-detail", org_id=organisation.public_id)
    context = {"form": form, "organisation": organisation}
    return render(request, "organisations/form.html", context, status=400 if form.errors else 200)


@require_POST
@for_organisation(Action.MANAGE)
def org_invite(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _detail_refused(request, organisation, 400, invite_form=form)
    email, role = form.cleaned_data["email"], form.cleaned_data["role"]
    try:
        if form.cleaned_data["resend"] and (
            open_one := selectors.open_invitation(organisation, email)
        ):
            services.invitation_resend(
                invitation=open_one, invited_by=_user(request), **_site(request)
            )
        else:
            services.invitation_create(
                organisation=organisation,
                email=email,
                role=role,
                invited_by=_user(request),
                **_site(request),
            )
    except services.Refused as refusal:
        form.add_error(None, str(refusal))
        resend = isinstance(refusal, services.InvitationAlreadyOpen)
        return _detail_refused(request, organisation, 409, invite_form=form, resend_offer=resend)
    messages.success(request, _("The invitation has been sent to %(email)s.") % {"email": email})
    return redirect("org-detail", org_id=organisation.public_id)


@require_POST
@for_organisation(Action.MANAGE)
def org_invitation_revoke(
    request: HttpRequest, organisation: Organisation, invitation_id: int
) -> HttpResponse:
    invitation = selectors.invitation_in(organisation, invitation_id)
    if invitation is None:
        raise Http404
    try:
        services.invitation_revoke(invitation=invitation)
    except services.Refused as refusal:
        return _detail_refused(request, organisation, 409, error=str(refusal))
    messages.success(
        request, _("The invitation of %(email)s has been withdrawn.") % {"email": invitation.email}
    )
    return redirect("org-detail", org_id=organisation.public_id)


@require_POST
@for_organisation(Action.MANAGE)
def org_member_role(
    request: HttpRequest, organisation: Organisation, membership_id: int
) -> HttpResponse:
    membership = selectors.membership_in(organisation, membership_id)
    if membership is None:
        raise Http404
    form = RoleForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose owner or member."))
    try:
        services.membership_set_role(membership=membership, role=form.cleaned_data["role"])
    except services.Refused as refusal:
        return _detail_refused(request, organisation, 409, error=str(refusal))
    permissions.forget_roles(request.user)
    messages.success(
        request,
        _("%(email)s is now %(role)s.")
        % {"email": membership.user.email, "role": membership.get_role_display()},
    )
    return redirect("org-detail", org_id=organisation.public_id)


@require_POST
@for_organisation(Action.MANAGE)
def org_member_remove(
    request: HttpRequest, organisation: Organisation, membership_id: int
) -> HttpResponse:
    membership = selectors.membership_in(organisation, membership_id)
    if membership is None:
        raise Http404
    try:
        services.membership_remove(membership=membership)
    except services.Refused as refusal:
        return _detail_refused(request, organisation, 409, error=str(refusal))
    permissions.forget_roles(request.user)
    messages.success(
        request,
        _("%(email)s is no longer a member of %(name)s.")
        % {"email": membership.user.email, "name": organisation.name},
    )
    if not permissions.can(request.user, Action.VIEW, organisation):
        return redirect("dashboard")
    return redirect("org-detail", org_id=organisation.public_id)


@require_POST
@for_organisation(Action.VIEW)
def org_leave(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    try:
        services.organisation_leave(organisation=organisation, user=_user(request))
    except services.NotInOrganisation:
        raise Http404 from None  # leaving acts on one's membership: without one, nothing here
    except services.Refused as refusal:
        return _detail_refused(request, organisation, 409, error=str(refusal))
    messages.success(request, _("You have left %(name)s.") % {"name": organisation.name})
    return redirect("dashboard")


# ---- invitations (token link) ----


@require_http_methods(["GET", "POST"])
def _invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: shows what it is; POST accepts it (logged in, right address)."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        raise Http404
    path = request.get_full_path()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(path)
        try:
            services.invitation_accept(invitation=invitation, user=_user(request))
        except services.Refused as refusal:
            context = presenters.invitation_page(request.user, invitation, path)
            context["error"] = str(refusal)
            return render(request, "organisations/invitation.html", context, status=409)
        messages.success(
            request,
            _("You are now a member of %(name)s.") % {"name": invitation.organisation.name},
        )
        return redirect("org-detail", org_id=invitation.organisation.public_id)
    context = presenters.invitation_page(request.user, invitation, path)
    return render(request, "organisations/invitation.html", context)


invitation = permissions.mark(_invitation, "invitation link")


# ---- consultants: directory, profile ----


@require_GET
@public
def consultant_directory(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {
        "form": form,
        "query": query,
        "consultants": list(selectors.directory(query)),
    }
    return render(request, "consultants/directory.html", context)


@require_GET
@public
def consultant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultant = selectors.listed_consultant(pk)
    if consultant is None:
        raise Http404
    context = {
        "consultant": consultant,
        "engage_for": presenters.engage_options(request.user),
    }
    return render(request, "consultants/detail.html", context)


@require_http_methods(["GET", "POST"])
@signed_in
def consultant_profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    profile = selectors.consultant_of(user)
    form = ConsultantProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        was_verified = profile is not None and profile.verified_at is not None
        saved = services.consultant_profile_save(user=user, profile=profile, data=form.cleaned_data)
        if profile is None:
            messages.success(
                request,
                _(
                    "Your consultant profile has been created. The programme staff will"
                    " verify your certificate."
                ),
            )
        elif was_verified and saved.verified_at is None:
            messages.warning(
                request,
                _(
                    "Your profile has been saved. Because you changed your certificate, the"
                    " programme staff will verify it again."
                ),
            )
        else:
            messages.success(request, _("Your profile has been saved."))
        return redirect("consultant-profile")
    context = {
        "form": form,
        "profile": profile,
        "certificate": presenters.certificate_status(profile) if profile else None,
    }
    return render(request, "consultants/profile.html", context, status=400 if form.errors else 200)


# ---- engagements ----


@require_http_methods(["GET", "POST"])
@for_organisation(Action.MANAGE)
def org_consultants(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """Engage a consultant by e-mail address, or (from the directory) by their profile."""
    if request.method == "GET":
        context = presenters.consultants_page(organisation)
        return render(request, "organisations/consultants.html", context)
    consultant = None
    if "consultant" in request.POST:  # the button on a directory page
        form = EngagementForm()
        consultant = selectors.listed_consultant(_int(request.POST.get("consultant")))
        if consultant is None:
            raise Http404
    else:
        form = EngagementForm(request.POST)
        if not form.is_valid():
            context = presenters.consultants_page(organisation, form=form)
            return render(request, "organisations/consultants.html", context, status=400)
    try:
        engagement = services.engagement_create(
            organisation=organisation,
            consultant=consultant,
            email=form.cleaned_data["email"] if consultant is None else "",
            invited_by=_user(request),
            **_site(request),
        )
    except services.Refused as refusal:
        context = presenters.consultants_page(organisation, form=form, error=str(refusal))
        return render(request, "organisations/consultants.html", context, status=409)
    messages.success(
        request,
        _("%(name)s has been invited. Their access starts when they accept the invitation.")
        % {"name": engagement.consultant.display_name},
    )
    return redirect("org-consultants", org_id=organisation.public_id)


@require_POST
@for_organisation(Action.MANAGE)
def org_engagement_revoke(
    request: HttpRequest, organisation: Organisation, engagement_id: int
) -> HttpResponse:
    engagement = selectors.engagement_in(organisation, engagement_id)
    if engagement is None:
        raise Http404
    try:
        services.engagement_revoke(engagement=engagement, **_site(request))
    except services.Refused as refusal:
        context = presenters.consultants_page(organisation, error=str(refusal))
        return render(request, "organisations/consultants.html", context, status=409)
    messages.success(
        request,
        _("The engagement of %(name)s has ended. They no longer have access.")
        % {"name": engagement.consultant.display_name},
    )
    return redirect("org-consultants", org_id=organisation.public_id)


@require_POST
@signed_in
def engagement_respond(request: HttpRequest, engagement_id: int) -> HttpResponse:
    """The consultant accepts or declines an organisation's invitation (their own only)."""
    user = _user(request)
    engagement = selectors.engagement_of_user(user, engagement_id)
    if engagement is None:
        raise Http404
    decision = request.POST.get("decision")
    if decision not in {"accept", "decline"}:
        return HttpResponseBadRequest(_("Choose accept or decline."))
    try:
        services.engagement_respond(
            engagement=engagement, accept=decision == "accept", **_site(request)
        )
    except services.Refused as refusal:
        context = presenters.dashboard(user)
        context["error"] = str(refusal)
        return render(request, "organisations/dashboard.html", context, status=409)
    name = engagement.organisation.name
    if decision == "accept":
        messages.success(request, _("You now work with %(name)s.") % {"name": name})
        return redirect("org-detail", org_id=engagement.organisation.public_id)
    messages.success(request, _("You have declined the invitation of %(name)s.") % {"name": name})
    return redirect("dashboard")


# ---- programme staff ----


@require_GET
@staff_only
def staff_consultants(request: HttpRequest) -> HttpResponse:
    awaiting, others = selectors.profiles_for_staff()
    context = {
        "awaiting": awaiting,
        "others": [(p, presenters.certificate_status(p)) for p in others],
    }
    return render(request, "consultants/staff.html", context)


@require_POST
@staff_only
def staff_consultant_verify(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.consultant_by_pk(pk)
    if profile is None:
        raise Http404
    action = request.POST.get("action", "verify")
    try:
        if action == "revoke":
            services.consultant_unverify(profile=profile)
        elif action == "verify":
            services.consultant_verify(profile=profile, staff=_user(request))
        else:
            return HttpResponseBadRequest(_("Choose verify or revoke."))
    except services.Refused as refusal:
        awaiting, others = selectors.profiles_for_staff()
        context = {
            "awaiting": awaiting,
            "others": [(p, presenters.certificate_status(p)) for p in others],
            "error": str(refusal),
        }
        return render(request, "consultants/staff.html", context, status=409)
    if action == "revoke":
        text = _("The verification of %(name)s has been withdrawn.")
    else:
        text = _("The certificate of %(name)s has been verified.")
    messages.success(request, text % {"name": profile.display_name})
    return redirect("staff-consultants")


# ---- claiming a self-scan ----


def _signed_in_claim(request: HttpRequest, access: ScanAccess) -> HttpResponse:
    """Anonymous visitors log in first; then `_claim` runs."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _claim(request, access)


def _claim(request: HttpRequest, access: ScanAccess) -> HttpResponse:
    user = _user(request)
    scan = access.respondent.scan
    organisations = [m.organisation for m in selectors.memberships_of(user)]
    form = ClaimForm(request.POST or None, organisations=organisations)
    context: dict[str, Any] = {
        "form": form,
        "token": access.token,
        "scan": scan,
        "model": access.model,
        "organisations": organisations,
        "problem": presenters.claim_problem(scan),
    }
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "organisations/claim.html", context, status=400)
        organisation = form.chosen()
        try:
            services.scan_claim(scan=scan, organisation=organisation, user=user)
        except services.Refused as refusal:
            context["problem"] = str(refusal)
            return render(request, "organisations/claim.html", context, status=409)
        messages.success(
            request,
            _("The scan has been added to %(name)s.") % {"name": organisation.name},
        )
        return redirect("org-detail", org_id=organisation.public_id)
    return render(request, "organisations/claim.html", context)


scan_claim = permissions.mark(
    require_http_methods(["GET", "POST"])(with_respondent(_signed_in_claim)),
    "respondent link, signed in",
)
