"""The plan pages: thin views over plans.services, the same for the organisation's pages
(by the plan's id, `for_plan`) and for an unclaimed self-scan's private link (`Place`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from imscan.core.http import HtmxHttpRequest
from imscan.permissions import Action, can, for_plan, for_scan
from imscan.plans import exports, presenters, selectors, services, sources
from imscan.plans.forms import ActionForm, PartsForm, StatusForm
from imscan.plans.models import Plan, PlanAction
from imscan.reports.export_views import attachment
from imscan.scans.access import ScanAccess, with_respondent
from imscan.scans.models import Scan

ORG_PAGES = {
    "detail": "plan-detail",
    "parts": "plan-parts",
    "action-add": "plan-action-add",
    "action-edit": "plan-action-edit",
    "action-status": "plan-action-status",
    "action-delete": "plan-action-delete",
    "export": "plan-export",
}
LINK_PAGES = {page: f"respondent-{name}" for page, name in ORG_PAGES.items()}
LINK_PAGES["detail"] = "respondent-plan"
ACTIONS_ANCHOR = "#plan-actions"


@dataclass(frozen=True)
class Place:
    """Where a plan's pages live, and what the visitor may do there."""

    source: Any  # the result the plan is (to be) made from
    plan: Plan | None
    may_edit: bool
    pages: dict[str, str]  # page -> URL name
    kwargs: dict[str, Any]  # the URL's own arguments (plan_id, or the private link's token)
    back_url: str  # the result's page
    start_url: str  # where a new plan is made (POST)

    def url(self, page: str, **extra: Any) -> str:
        return reverse(self.pages[page], kwargs={**self.kwargs, **extra})


def _org_place(
    request: HtmxHttpRequest, source: Any, plan: Plan | None, start_url: str = ""
) -> Place:
    """The organisation's pages of a result's plan; `source` has an organisation, since
    for_plan and for_scan let only those through."""
    organisation = sources.source_for(source).organisation(source)
    assert organisation is not None
    return Place(
        source=source,
        plan=plan,
        may_edit=can(request.user, Action.EDIT_PLAN, organisation),
        pages=ORG_PAGES,
        kwargs={"plan_id": plan.public_id} if plan else {},
        back_url=sources.source_for(source).result_url(source),
        start_url=start_url,
    )


def _plan_place(request: HtmxHttpRequest, plan: Plan) -> Place:
    source = sources.load_source(plan)
    if source is None:
        raise Http404
    return _org_place(request, source, plan)


def _link_place(access: ScanAccess) -> Place | None:
    """A self-scan's plan through its private link; None once the scan is claimed (its
    plan then belongs to the organisation)."""
    scan = access.respondent.scan
    if scan.kind != Scan.Kind.SELF:
        raise Http404  # a guided scan's plan is the organisation's
    if scan.organisation_id is not None:
        return None
    kwargs = {"token": access.token}
    return Place(
        source=scan,
        plan=selectors.plan_for_source(scan),
        may_edit=True,
        pages=LINK_PAGES,
        kwargs=kwargs,
        back_url=reverse("scan-results", kwargs=kwargs),
        start_url=reverse("respondent-plan", kwargs=kwargs),
    )


def _moved(request: HtmxHttpRequest, status: int = 200) -> HttpResponse:
    """A claimed self-scan's link: the plan is the organisation's now."""
    return render(request, "plans/moved.html", status=status)


def _final(place: Place) -> sources.SourceResult | None:
    return sources.source_for(place.source).final(place.source, get_language() or "nl")


def _view(place: Place) -> presenters.PlanView:
    assert place.plan is not None
    plan = selectors.plan_with_contents(place.plan)
    return presenters.plan_view_of(plan, place.source, get_language() or "nl")


def _plan_page(
    request: HtmxHttpRequest,
    place: Place,
    form: ActionForm | None = None,
    status: int = 200,
    notice: str = "",
) -> HttpResponse:
    view = _view(place)
    context = {
        "place": place,
        "view": view,
        "form": form or ActionForm(parts=view.parts, initial=_new_action(view)),
        "status_choices": PlanAction.Status.choices,
        "notice": notice,
    }
    template = "plans/_plan_body.html" if request.htmx else "plans/plan.html"
    return render(request, template, context, status=status)


def _new_action(view: presenters.PlanView) -> dict[str, Any]:
    """A new action starts planned, for the plan's first part (most actions are for one)."""
    return {
        "status": PlanAction.Status.PLANNED,
        "part": view.parts[0].info.id if view.parts else "",
    }


def _start(request: HtmxHttpRequest, place: Place) -> HttpResponse:
    """No plan yet: choose the parts to work on (POST makes the plan)."""
    adapter = sources.source_for(place.source)
    final = _final(place)
    form: PartsForm | None = None
    problem = "" if final is not None else adapter.not_final_reason(place.source)
    status = 200 if final is not None else 409
    choices = presenters.part_choices(None, final, get_language() or "nl") if final else []
    if final is not None:
        form = PartsForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form is not None:
        if not place.may_edit:
            raise Http404
        if form.is_valid():
            try:
                plan = services.plan_create(
                    source=place.source, parts=form.cleaned_data["parts"], created_by=request.user
                )
            except services.PlanExists as exists:
                return redirect(_detail_url(place, exists.plan))
            except services.PlanRefused as refusal:
                problem, status = refusal.message, 409
            else:
                messages.success(request, _("The development plan has been made."))
                return redirect(_detail_url(place, plan) + ACTIONS_ANCHOR)
        else:
            status = 400
    context = {
        "place": place,
        "final": final,
        "form": form,
        "choices": choices,
        "selected": form.selected() if form else set(),
        "problem": problem,
    }
    return render(request, "plans/start.html", context, status=status)


def _detail_url(place: Place, plan: Plan) -> str:
    if place.pages is ORG_PAGES:
        return reverse("plan-detail", kwargs={"plan_id": plan.public_id})
    return place.url("detail")


def _parts(request: HtmxHttpRequest, place: Place) -> HttpResponse:
    view = _view(place)
    lang = get_language() or "nl"
    choices = presenters.part_choices(view, view.source, lang)
    form = PartsForm(request.POST if request.method == "POST" else None, choices=choices)
    problem, status = "", 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                assert place.plan is not None
                services.plan_parts_set(plan=place.plan, parts=form.cleaned_data["parts"])
            except services.PlanRefused as refusal:
                problem, status = refusal.message, 409
            else:
                messages.success(request, _("The parts of the plan have been saved."))
                return redirect(place.url("detail"))
    context = {
        "place": place,
        "final": view.source,
        "form": form,
        "choices": choices,
        "selected": form.selected(),
        "problem": problem,
    }
    return render(request, "plans/parts.html", context, status=status)


def _action(place: Place, action_id: int) -> PlanAction:
    action = PlanAction.objects.select_related("plan", "part").filter(pk=action_id).first()
    if action is None or place.plan is None or action.plan_id != place.plan.pk:
        raise Http404
    return action


def _action_form(
    request: HtmxHttpRequest, place: Place, action: PlanAction | None = None
) -> HttpResponse:
    """Add an action (on the plan page, or on a page of its own) or change one."""
    view = _view(place)
    initial = _new_action(view)
    if action is not None:
        initial = {
            "what": action.what,
            "owner": action.owner,
            "due_date": action.due_date,
            "status": action.status,
            "part": action.part.node_id if action.part else "",
        }
    elif request.GET.get("part"):
        initial["part"] = request.GET["part"]
    data = request.POST if request.method == "POST" else None
    form = ActionForm(data, initial=initial, parts=view.parts)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            assert place.plan is not None
            try:
                if action is None:
                    services.plan_action_add(plan=place.plan, fields=form.fields_typed())
                else:
                    services.plan_action_update(action=action, fields=form.fields_typed())
            except services.PlanRefused as refusal:
                form.add_error(None, refusal.message)
                status = 409
            else:
                if request.htmx and action is None:  # the plan page's form: its new body
                    return _plan_page(request, place, notice=_("The action has been added."))
                messages.success(
                    request,
                    _("The action has been added.")
                    if action is None
                    else _("The action has been saved."),
                )
                return redirect(place.url("detail") + ACTIONS_ANCHOR)
        if request.htmx and action is None:
            return _plan_page(request, place, form=form, status=status)
    context = {"place": place, "view": view, "form": form, "action": action}
    return render(request, "plans/action_form.html", context, status=status)


def _action_status(request: HtmxHttpRequest, place: Place, action_id: int) -> HttpResponse:
    action = _action(place, action_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the statuses offered."))
        return redirect(place.url("detail") + ACTIONS_ANCHOR)
    services.plan_action_status(action=action, status=form.cleaned_data["status"])
    if request.htmx:  # the action in place, and the plan's counts out of band
        context = {
            "place": place,
            "row": presenters.action_row(action),
            "view": _view(place),
            "status_choices": PlanAction.Status.choices,
            "oob": True,
        }
        return render(request, "plans/_action.html", context)
    messages.success(request, _("The status has been saved."))
    return redirect(place.url("detail") + ACTIONS_ANCHOR)


def _action_delete(request: HtmxHttpRequest, place: Place, action_id: int) -> HttpResponse:
    action = _action(place, action_id)
    if request.method == "POST":
        services.plan_action_delete(action=action)
        messages.success(request, _("The action has been deleted."))
        return redirect(place.url("detail") + ACTIONS_ANCHOR)
    return render(request, "plans/action_delete.html", {"place": place, "action": action})


def _export(request: HtmxHttpRequest, place: Place, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404
    made = exports.plan_file(_view(place), fmt, get_language() or "nl")
    return attachment(made)


# ---- the organisation's pages ----


@require_GET
@for_scan(Action.VIEW)
def scan_plan(request: HtmxHttpRequest, scan: Scan) -> HttpResponse:
    """The scan's plan, or the page to make one."""
    plan = selectors.plan_for_source(scan)
    if plan is not None:
        return redirect("plan-detail", plan_id=plan.public_id)
    start = reverse("scan-plan-create", kwargs={"scan_id": scan.public_id})
    return _start(request, _org_place(request, scan, None, start))


@require_POST
@for_scan(Action.EDIT_PLAN)
def scan_plan_create(request: HtmxHttpRequest, scan: Scan) -> HttpResponse:
    start = reverse("scan-plan-create", kwargs={"scan_id": scan.public_id})
    return _start(request, _org_place(request, scan, None, start))


@require_GET
@for_plan(Action.VIEW)
def plan_detail(request: HtmxHttpRequest, plan: Plan) -> HttpResponse:
    return _plan_page(request, _plan_place(request, plan))


@require_http_methods(["GET", "POST"])
@for_plan(Action.EDIT_PLAN)
def plan_parts(request: HtmxHttpRequest, plan: Plan) -> HttpResponse:
    return _parts(request, _plan_place(request, plan))


@require_http_methods(["GET", "POST"])
@for_plan(Action.EDIT_PLAN)
def plan_action_add(request: HtmxHttpRequest, plan: Plan) -> HttpResponse:
    return _action_form(request, _plan_place(request, plan))


@require_http_methods(["GET", "POST"])
@for_plan(Action.EDIT_PLAN)
def plan_action_edit(request: HtmxHttpRequest, plan: Plan, action_id: int) -> HttpResponse:
    place = _plan_place(request, plan)
    return _action_form(request, place, _action(place, action_id))


@require_POST
@for_plan(Action.EDIT_PLAN)
def plan_action_status(request: HtmxHttpRequest, plan: Plan, action_id: int) -> HttpResponse:
    return _action_status(request, _plan_place(request, plan), action_id)


@require_http_methods(["GET", "POST"])
@for_plan(Action.EDIT_PLAN)
def plan_action_delete(request: HtmxHttpRequest, plan: Plan, action_id: int) -> HttpResponse:
    return _action_delete(request, _plan_place(request, plan), action_id)


@require_GET
@for_plan(Action.VIEW)
def plan_export(request: HtmxHttpRequest, plan: Plan, fmt: str) -> HttpResponse:
    return _export(request, _plan_place(request, plan), fmt)


# ---- an unclaimed self-scan's plan, through its private link ----


@require_http_methods(["GET", "POST"])
@with_respondent
def respondent_plan(request: HtmxHttpRequest, access: ScanAccess) -> HttpResponse:
    """The self-scan's plan, or the page to make one (POST makes it)."""
    if access.respondent.finished_at is None:
        return redirect("scan-review", token=access.token)
    place = _link_place(access)
    if place is None:
        return _moved(request, 200 if request.method == "GET" else 409)
    if place.plan is None:
        return _start(request, place)
    if request.method == "POST":
        return redirect(place.url("detail"))
    return _plan_page(request, place)


def _on_link(access: ScanAccess, request: HtmxHttpRequest) -> Place | HttpResponse:
    """The place of an existing plan through the link, or the response instead."""
    place = _link_place(access)
    if place is None:
        return _moved(request, 200 if request.method == "GET" else 409)
    if place.plan is None:
        return redirect("respondent-plan", token=access.token)
    return place


@require_http_methods(["GET", "POST"])
@with_respondent
def respondent_plan_parts(request: HtmxHttpRequest, access: ScanAccess) -> HttpResponse:
    place = _on_link(access, request)
    return place if isinstance(place, HttpResponse) else _parts(request, place)


@require_http_methods(["GET", "POST"])
@with_respondent
def respondent_plan_action_add(request: HtmxHttpRequest, access: ScanAccess) -> HttpResponse:
    place = _on_link(access, request)
    return place if isinstance(place, HttpResponse) else _action_form(request, place)


@require_http_methods(["GET", "POST"])
@with_respondent
def respondent_plan_action_edit(
    request: HtmxHttpRequest, access: ScanAccess, action_id: int
) -> HttpResponse:
    place = _on_link(access, request)
    if isinstance(place, HttpResponse):
        return place
    return _action_form(request, place, _action(place, action_id))


@require_POST
@with_respondent
def respondent_plan_action_status(
    request: HtmxHttpRequest, access: ScanAccess, action_id: int
) -> HttpResponse:
    place = _on_link(access, request)
    return place if isinstance(place, HttpResponse) else _action_status(request, place, action_id)


@require_http_methods(["GET", "POST"])
@with_respondent
def respondent_plan_action_delete(
    request: HtmxHttpRequest, access: ScanAccess, action_id: int
) -> HttpResponse:
    place = _on_link(access, request)
    return place if isinstance(place, HttpResponse) else _action_delete(request, place, action_id)


@require_GET
@with_respondent
def respondent_plan_export(request: HtmxHttpRequest, access: ScanAccess, fmt: str) -> HttpResponse:
    place = _on_link(access, request)
    return place if isinstance(place, HttpResponse) else _export(request, place, fmt)
