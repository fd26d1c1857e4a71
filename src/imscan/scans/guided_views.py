"""Running a guided scan: thin views over `guided.py` (writes) and `guided_selectors.py`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from imscan.core.http import HtmxHttpRequest
from imscan.organisations.models import Organisation
from imscan.permissions import Action, for_organisation, for_scan, mark
from imscan.scans import guided, guided_selectors
from imscan.scans.guided_forms import (
    GroupLinkForm,
    GroupsForm,
    GuidedScanEditForm,
    GuidedScanForm,
    InviteForm,
    RemindForm,
)
from imscan.scans.models import RespondentGroup, Scan
from imscan.scans.presenters import not_open_message
from imscan.scans.services import ScanNotOpen

PROGRESS_TARGET = "progress"  # the id of the part of the detail page that htmx refreshes


def guided_only(scan: Scan) -> None:
    """These pages are about guided scans; a claimed self-scan has none of it."""
    if scan.kind != Scan.Kind.GUIDED:
        raise Http404


def add_refusal(form: forms.Form, error: guided.GuidedScanError) -> None:
    """Show a service's refusal at its field, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def refusal_status(error: Exception) -> int:
    """409 when the scan's state refuses (closed, not open, full), 400 for bad input."""
    return 409 if isinstance(error, guided.ScanClosed | guided.LinkFull | ScanNotOpen) else 400


def closed_page(request: HttpRequest, scan: Scan, message: str = "") -> HttpResponse:
    """A change to a closed scan: refused with a message, the page without its forms."""
    message = message or _("This scan is closed, so it can no longer be changed.")
    return detail_page(request, scan, status=409, error=message)


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


# ---- creating and editing ----


@require_http_methods(["GET", "POST"])
@for_organisation(Action.CREATE_SCAN)
def create(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    consultant = guided.acting_consultant(user=request.user, organisation=organisation)
    not_certified = (
        guided.not_certified_message(consultant, yourself=True)
        if consultant is not None and not consultant.is_certified
        else ""
    )
    form = GuidedScanForm(
        request.POST if request.method == "POST" else None,
        organisation=organisation,
        with_guide=consultant is None,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                scan = guided.guided_scan_create(
                    organisation=organisation,
                    created_by=request.user,
                    version=data["version"],
                    title=data["title"],
                    language=data["language"],
                    group_names=data["groups"],
                    opens_at=data["opens_at"],
                    closes_at=data["closes_at"],
                    anonymity_threshold=data["anonymity_threshold"],
                    guide=data.get("guide"),
                )
            except guided.GuidedScanError as error:
                add_refusal(form, error)
            else:
                messages.success(
                    request,
                    _("The scan has been created. Invite respondents or hand out group links."),
                )
                return redirect("guided-detail", scan_id=scan.public_id)
    context = {
        "organisation": organisation,
        "form": form,
        "consultant": consultant,
        "not_certified": not_certified,
    }
    return render(request, "guided/create.html", context, status=status)


@require_http_methods(["GET", "POST"])
@for_scan(Action.RUN_SCAN)
def edit(request: HttpRequest, scan: Scan) -> HttpResponse:
    guided_only(scan)
    assert scan.organisation is not None
    consultant = guided.acting_consultant(user=request.user, organisation=scan.organisation)
    form = GuidedScanEditForm(
        request.POST if request.method == "POST" else None,
        scan=scan,
        with_guide=consultant is None,
    )
    status = 200
    if request.method == "POST":
        status = 409 if scan.is_closed() else 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                guided.guided_scan_update(
                    scan=scan,
                    title=data["title"],
                    opens_at=data["opens_at"],
                    closes_at=data["closes_at"],
                    anonymity_threshold=data["anonymity_threshold"],
                    guide=data["guide"] if "guide" in form.fields else scan.guide,
                )
            except guided.GuidedScanError as error:
                add_refusal(form, error)
                status = refusal_status(error)
            else:
                messages.success(request, _("The changes have been saved."))
                return redirect("guided-detail", scan_id=scan.public_id)
    context = {"scan": scan, "form": form, "closed": scan.is_closed()}
    return render(request, "guided/edit.html", context, status=status)


# ---- the progress view and its actions ----


@dataclass(frozen=True)
class NewLink:
    """A group link just made: shown once, right after the POST that made it."""

    group: RespondentGroup
    url: str
    replaced: bool


def detail_page(
    request: HttpRequest,
    scan: Scan,
    *,
    status: int = 200,
    invite_form: InviteForm | None = None,
    groups_form: GroupsForm | None = None,
    remind_form: RemindForm | None = None,
    link_form: tuple[int, GroupLinkForm] | None = None,
    new_link: NewLink | None = None,
    error: str = "",
) -> HttpResponse:
    """The progress view with its forms; a form passed in is shown as posted, with errors."""
    progress = guided_selectors.scan_progress(scan)
    link_forms = []
    for group in progress.groups:
        form = (
            link_form[1]
            if link_form is not None and link_form[0] == group.group.pk
            else GroupLinkForm(
                prefix=f"link-{group.group.pk}", initial={"cap": group.group.link_cap}
            )
        )
        link_forms.append((group, form))
    context: dict[str, Any] = {
        "scan": scan,
        "organisation": scan.organisation,
        "state": guided_selectors.opening_state(scan),
        "closes_on": guided_selectors.closed_on(scan),
        "progress": progress,
        "link_forms": link_forms,
        "invite_form": invite_form or InviteForm(scan=scan, prefix="invite"),
        "groups_form": groups_form or GroupsForm(prefix="groups"),
        "remind_form": remind_form or RemindForm(scan=scan, prefix="remind"),
        "new_link": new_link,
        "error": error,
        "now": timezone.now(),
    }
    response = render(request, "guided/detail.html", context, status=status)
    if new_link is not None:  # the link is in this page only: keep it out of every cache
        add_never_cache_headers(response)
    return response


@require_GET
@for_scan(Action.RUN_SCAN)
def detail(request: HtmxHttpRequest, scan: Scan) -> HttpResponse:
    guided_only(scan)
    if request.htmx and request.htmx.target == PROGRESS_TARGET:
        # The polled refresh: only the progress part (htmx selects it by id).
        context = {
            "scan": scan,
            "state": guided_selectors.opening_state(scan),
            "progress": guided_selectors.scan_progress(scan),
            "now": timezone.now(),
        }
        return render(request, "guided/_progress.html", context)
    return detail_page(request, scan)


@require_POST
@for_scan(Action.RUN_SCAN)
def invite(request: HttpRequest, scan: Scan) -> HttpResponse:
    guided_only(scan)
    if scan.is_closed():
        return closed_page(request, scan)
    form = InviteForm(request.POST, scan=scan, prefix="invite")
    status = 400
    if form.is_valid():
        try:
            invited = guided.respondents_invite(
                scan=scan,
                group=form.cleaned_data["group"],
                addresses=form.cleaned_data["addresses"],
                base_url=base_url(request),
            )
        except guided.ScanClosed as error:  # closed a moment ago
            return closed_page(request, scan, error.message)
        except guided.GuidedScanError as error:
            add_refusal(form, error)
            status = refusal_status(error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s person has been invited: they received an e-mail with their"
                    " personal link.",
                    "%(count)s people have been invited: each received an e-mail with their"
                    " personal link.",
                    len(invited),
                )
                % {"count": len(invited)},
            )
            return redirect("guided-detail", scan_id=scan.public_id)
    return detail_page(request, scan, status=status, invite_form=form)


@require_POST
@for_scan(Action.RUN_SCAN)
def group_add(request: HttpRequest, scan: Scan) -> HttpResponse:
    guided_only(scan)
    if scan.is_closed():
        return closed_page(request, scan)
    form = GroupsForm(request.POST, prefix="groups")
    status = 400
    if form.is_valid():
        try:
            added = guided.groups_add(scan=scan, names=form.cleaned_data["groups"])
        except guided.ScanClosed as error:  # closed a moment ago
            return closed_page(request, scan, error.message)
        except guided.GuidedScanError as error:
            add_refusal(form, error)
            status = refusal_status(error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s group has been added.",
                    "%(count)s groups have been added.",
                    len(added),
                )
                % {"count": len(added)},
            )
            return redirect("guided-detail", scan_id=scan.public_id)
    return detail_page(request, scan, status=status, groups_form=form)


@require_POST
@for_scan(Action.RUN_SCAN)
def group_link(request: HttpRequest, scan: Scan, group_id: int) -> HttpResponse:
    guided_only(scan)
    group = get_object_or_404(RespondentGroup, pk=group_id, scan=scan)
    group.scan = scan
    if scan.is_closed():
        return closed_page(request, scan)
    form = GroupLinkForm(request.POST, prefix=f"link-{group.pk}")
    status = 400
    if form.is_valid():
        replaced = group.link_token_hash is not None
        try:
            token = guided.group_link_create(group=group, cap=form.cleaned_data["cap"])
        except guided.ScanClosed as error:  # closed a moment ago
            return closed_page(request, scan, error.message)
        except guided.GuidedScanError as error:
            add_refusal(form, error)
            status = refusal_status(error)
        else:
            with translation.override(scan.language):  # the link opens in the scan's language
                path = reverse("guided-join", kwargs={"token": token})
            url = request.build_absolute_uri(path)
            fresh = GroupLinkForm(prefix=f"link-{group.pk}", initial={"cap": group.link_cap})
            return detail_page(
                request,
                scan,
                link_form=(group.pk, fresh),
                new_link=NewLink(group=group, url=url, replaced=replaced),
            )
    return detail_page(request, scan, status=status, link_form=(group.pk, form))


@require_POST
@for_scan(Action.RUN_SCAN)
def group_link_remove(request: HttpRequest, scan: Scan, group_id: int) -> HttpResponse:
    guided_only(scan)
    group = get_object_or_404(RespondentGroup, pk=group_id, scan=scan)
    if group.link_token_hash is not None:
        guided.group_link_remove(group=group)
        messages.success(
            request,
            _(
                "The link of group “%(group)s” no longer works. Who joined through it keeps"
                " their own link."
            )
            % {"group": group.name},
        )
    return redirect("guided-detail", scan_id=scan.public_id)


@require_POST
@for_scan(Action.RUN_SCAN)
def remind(request: HttpRequest, scan: Scan) -> HttpResponse:
    guided_only(scan)
    if scan.is_closed():
        return closed_page(request, scan)
    form = RemindForm(request.POST, scan=scan, prefix="remind")
    status = 400
    if form.is_valid():
        try:
            result = guided.respondents_remind(
                scan=scan, group=form.cleaned_data["group"], base_url=base_url(request)
            )
        except guided.ScanClosed as error:  # closed a moment ago
            return closed_page(request, scan, error.message)
        except guided.GuidedScanError as error:
            add_refusal(form, error)
            status = refusal_status(error)
        except ScanNotOpen:
            form.add_error(None, not_open_message(scan))
            status = 409
        else:
            if result.sent:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s reminder has been sent, with a new personal link.",
                        "%(count)s reminders have been sent, each with a new personal link.",
                        result.sent,
                    )
                    % {"count": result.sent},
                )
            if result.skipped:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)s person was skipped: they were reminded less than 24 hours ago.",
                        "%(count)s people were skipped: they were reminded less than 24 hours ago.",
                        result.skipped,
                    )
                    % {"count": result.skipped},
                )
            if not result.sent and not result.skipped:
                messages.info(request, _("Nobody to remind: everyone invited has finished."))
            return redirect("guided-detail", scan_id=scan.public_id)
    return detail_page(request, scan, status=status, remind_form=form)


@require_POST
@for_scan(Action.RUN_SCAN)
def close(request: HttpRequest, scan: Scan) -> HttpResponse:
    """Without `confirm=yes` the confirmation step; with it, the scan closes now."""
    guided_only(scan)
    if scan.is_closed():
        return detail_page(request, scan, status=409, error=_("This scan is already closed."))
    if request.POST.get("confirm") != "yes":
        progress = guided_selectors.scan_progress(scan)
        return render(request, "guided/close.html", {"scan": scan, "progress": progress})
    try:
        guided.scan_close(scan=scan)
    except guided.GuidedScanError as error:
        return closed_page(request, scan, error.message)
    messages.success(
        request, _("The scan is closed: nobody can answer any more and the result is frozen.")
    )
    return redirect("guided-detail", scan_id=scan.public_id)


# ---- joining through a group link ----


@require_http_methods(["GET", "POST"])
def _join(request: HttpRequest, token: str) -> HttpResponse:
    group = guided_selectors.group_by_link_token(token)
    if group is None:
        return render(request, "guided/link_not_found.html", status=404)
    if request.method == "POST":
        try:
            joined = guided.group_join(token=token)
        except guided.LinkNotFound:  # replaced or removed a moment ago
            return render(request, "guided/link_not_found.html", status=404)
        except ScanNotOpen:
            return join_page(request, group, status=409)
        except guided.LinkFull:
            return join_page(request, group, status=409, full=True)
        return redirect("scan-welcome", token=joined.token)
    full = group.link_cap is not None and (
        guided_selectors.link_joined_count(group) >= group.link_cap
    )
    return join_page(request, group, full=full)


def join_page(
    request: HttpRequest, group: RespondentGroup, *, status: int = 200, full: bool = False
) -> HttpResponse:
    scan = group.scan
    context = {
        "group": group,
        "scan": scan,
        "organisation": scan.organisation,
        "state": guided_selectors.opening_state(scan),
        "closes_on": guided_selectors.closed_on(scan),
        "full": full,
    }
    return render(request, "guided/join.html", context, status=status)


# The group link's token is the permission: whoever holds it may join (up to the cap).
join = mark(_join, "group link")
