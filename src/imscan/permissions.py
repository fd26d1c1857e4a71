"""Who may do what: every permission of the web pages is decided in this one module.

A user's roles in an organisation (owner, member, engaged consultant) come from
`roles()`; `RULES` says which roles allow which action; `can()` combines them. Views
declare their rule with one of the decorators below, which also mark the view, so a test
can check that every URL has a rule (tests/test_permissions.py).

A user who may not see an object gets a 404, as if it did not exist, so that its
existence does not leak; a visitor who is not logged in is sent to the login page.
Respondents have no account: their private link is their permission (`with_respondent`).

The JSON API (imscan.api) asks the same questions through `organisation_for`, `scan_for`
and `visible_organisations`, which the decorators use too, so both follow one set of rules.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from imscan.organisations.models import Organisation
    from imscan.plans.models import Plan
    from imscan.scans.models import Scan


class Role(enum.StrEnum):
    OWNER = "owner"
    MEMBER = "member"
    CONSULTANT = "consultant"  # engaged by the organisation and accepted, not revoked


class Action(enum.StrEnum):
    VIEW = "view"  # the organisation page, its scans and their results
    MANAGE = "manage"  # details, members, invitations, consultants
    CREATE_SCAN = "create-scan"
    RUN_SCAN = "run-scan"  # groups, respondents, reminders, dates, closing
    EDIT_PLAN = "edit-plan"  # a result's development plan: its parts and actions


RULES: dict[Action, frozenset[Role]] = {
    Action.VIEW: frozenset({Role.OWNER, Role.MEMBER, Role.CONSULTANT}),
    Action.MANAGE: frozenset({Role.OWNER}),
    Action.CREATE_SCAN: frozenset({Role.OWNER, Role.MEMBER, Role.CONSULTANT}),
    Action.RUN_SCAN: frozenset({Role.OWNER, Role.MEMBER, Role.CONSULTANT}),
    # The consultant often types the plan while the group discusses it in the workshop.
    Action.EDIT_PLAN: frozenset({Role.OWNER, Role.MEMBER, Role.CONSULTANT}),
}


def roles(user: Any, organisation: Organisation) -> frozenset[Role]:
    """The user's roles in the organisation (two indexed queries, memoised per request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    memo: dict[int, frozenset[Role]] = user.__dict__.setdefault("_imscan_roles", {})
    if organisation.pk not in memo:
        from imscan.organisations.models import Engagement, Membership

        found: set[Role] = set()
        membership = Membership.objects.filter(organisation=organisation, user=user).first()
        if membership is not None:
            found.add(Role(membership.role))
        if Engagement.objects.filter(
            organisation=organisation,
            consultant__user=user,
            accepted_at__isnull=False,
            ended_at__isnull=True,
        ).exists():
            found.add(Role.CONSULTANT)
        memo[organisation.pk] = frozenset(found)
    return memo[organisation.pk]


def forget_roles(user: Any) -> None:
    """Drop the memoised roles after they change within one request."""
    user.__dict__.pop("_imscan_roles", None)


def can(user: Any, action: Action, organisation: Organisation) -> bool:
    return bool(roles(user, organisation) & RULES[action])


def organisation_for(user: Any, org_id: uuid.UUID, action: Action) -> Organisation | None:
    """The organisation, if the user may do `action` in it; None when it does not exist or
    the user may not (the caller answers 404 either way, so its existence does not leak)."""
    from imscan.organisations.models import Organisation

    organisation = Organisation.objects.filter(public_id=org_id).first()
    if organisation is None or not can(user, action, organisation):
        return None
    return organisation


def scan_for(user: Any, scan_id: uuid.UUID, action: Action) -> Scan | None:
    """The scan, if the user may do `action` in its organisation; None otherwise (404).

    An unclaimed self-scan belongs to no organisation: only its private link opens it."""
    scan = scan_by_public_id(scan_id)
    if scan is None or scan.organisation is None or not can(user, action, scan.organisation):
        return None
    return scan


def plan_for(user: Any, plan_id: uuid.UUID, action: Action) -> Plan | None:
    """The development plan with this public id, if the user may do `action` in the
    organisation it belongs to. A plan without one (made through a self-scan's private
    link, not claimed yet) is reached through that link only."""
    plan = plan_by_public_id(plan_id)
    if plan is None or plan.organisation is None or not can(user, action, plan.organisation):
        return None
    return plan


def visible_organisations(user: Any) -> QuerySet[Organisation]:
    """Every organisation in which the user has a role that may VIEW it, by name."""
    from django.db.models import Q

    from imscan.organisations.models import Organisation

    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    allowed = RULES[Action.VIEW]
    condition = Q(
        memberships__user=user,
        memberships__role__in=[role.value for role in allowed if role != Role.CONSULTANT],
    )
    if Role.CONSULTANT in allowed:
        condition |= Q(
            engagements__consultant__user=user,
            engagements__accepted_at__isnull=False,
            engagements__ended_at__isnull=True,
        )
    return Organisation.objects.filter(condition).distinct().order_by("name", "pk")


# ---- view decorators: each sets `access_rule` on the view it returns ----

View = Callable[..., HttpResponse]


def mark(view: View, rule: str) -> View:
    view.access_rule = rule  # type: ignore[attr-defined]
    return view


def public(view: View) -> View:
    """Anyone, logged in or not."""
    return mark(view, "public")


def signed_in(view: View) -> View:
    """Any logged-in user; the view itself shows only what is theirs."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return mark(wrapper, "signed in")


def staff_only(view: View) -> View:
    """Programme staff (Django's is_staff)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return mark(wrapper, "programme staff")


def _deny(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


def for_organisation(action: Action) -> Callable[[View], View]:
    """The URL's `org_id` becomes the organisation, if the user may do `action` in it."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(
            request: HttpRequest, org_id: uuid.UUID, *args: Any, **kwargs: Any
        ) -> HttpResponse:
            organisation = organisation_for(request.user, org_id, action)
            if organisation is None:
                return _deny(request)
            return view(request, organisation, *args, **kwargs)

        return mark(wrapper, f"organisation: {action}")

    return decorate


def for_scan(action: Action) -> Callable[[View], View]:
    """The URL's `scan_id` becomes the scan, if the user may do `action` in its organisation."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(
            request: HttpRequest, scan_id: uuid.UUID, *args: Any, **kwargs: Any
        ) -> HttpResponse:
            scan = scan_for(request.user, scan_id, action)
            if scan is None:
                return _deny(request)
            return view(request, scan, *args, **kwargs)

        return mark(wrapper, f"scan: {action}")

    return decorate


def for_plan(action: Action) -> Callable[[View], View]:
    """The URL's `plan_id` becomes the development plan, if the user may do `action` in
    the organisation it belongs to (`plan_for`)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(
            request: HttpRequest, plan_id: uuid.UUID, *args: Any, **kwargs: Any
        ) -> HttpResponse:
            plan = plan_for(request.user, plan_id, action)
            if plan is None:
                return _deny(request)
            return view(request, plan, *args, **kwargs)

        return mark(wrapper, f"plan: {action}")

    return decorate


def plan_by_public_id(plan_id: uuid.UUID) -> Plan | None:
    from imscan.plans.models import Plan

    return (
        Plan.objects.select_related("organisation", "model_version")
        .defer("model_version__source")
        .filter(public_id=plan_id)
        .first()
    )


def scan_by_public_id(scan_id: uuid.UUID) -> Scan | None:
    from imscan.scans.models import Scan

    return (
        Scan.objects.select_related("organisation", "model_version", "guide")
        .defer("model_version__source")
        .filter(public_id=scan_id)
        .first()
    )
