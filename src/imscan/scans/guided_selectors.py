"""Reads for guided scans: progress per group, the respondents' status, the choices offered.

Never an answer: the progress view shows who has started and finished, not what they said.
Every function costs a fixed number of queries, however many respondents a scan has.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from imscan.organisations.models import ConsultantProfile, Organisation
from imscan.scans.models import Answer, Respondent, RespondentGroup, Scan
from imscan.scans.tokens import token_hash


class OpeningState(enum.StrEnum):
    NOT_YET_OPEN = "not-yet-open"
    OPEN = "open"
    CLOSED = "closed"


def opening_state(scan: Scan, now: datetime.datetime | None = None) -> OpeningState:
    now = now or timezone.now()
    if scan.is_closed(now):
        return OpeningState.CLOSED
    if scan.is_open(now):
        return OpeningState.OPEN
    return OpeningState.NOT_YET_OPEN


def closed_on(scan: Scan) -> datetime.datetime | None:
    """When the scan closed or will close: by hand, or its closing date."""
    return scan.closed_at or scan.closes_at


def has_opened(scan: Scan, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return scan.opens_at is None or scan.opens_at <= now


# ---- choices ----


def guide_choices(organisation: Organisation) -> QuerySet[ConsultantProfile]:
    """Consultants with a current (accepted, not ended) engagement by the organisation."""
    return ConsultantProfile.objects.filter(
        engagements__organisation=organisation,
        engagements__accepted_at__isnull=False,
        engagements__ended_at__isnull=True,
    ).order_by("display_name", "pk")


def is_engaged(organisation: Organisation, consultant: ConsultantProfile) -> bool:
    return guide_choices(organisation).filter(pk=consultant.pk).exists()


def scan_groups(scan: Scan) -> QuerySet[RespondentGroup]:
    return RespondentGroup.objects.filter(scan=scan).order_by("position", "pk")


def invited_addresses(scan: Scan, addresses: Iterable[str]) -> list[str]:
    """Which of these addresses (compared case-insensitively) are already invited to the scan."""
    wanted = {address.lower() for address in addresses}
    if not wanted:
        return []
    found = (
        Respondent.objects.filter(scan=scan)
        .exclude(email="")
        .annotate(address=Lower("email"))
        .filter(address__in=wanted)
        .values_list("address", flat=True)
    )
    return sorted(found)


def link_joined_count(group: RespondentGroup) -> int:
    """How many people joined the group through its anonymous link (they have no e-mail)."""
    return Respondent.objects.filter(group=group, email="").count()


def group_by_link_token(token: str) -> RespondentGroup | None:
    """The group whose current anonymous link has this token, with its scan and organisation."""
    found = RespondentGroup.objects.select_related("scan__organisation").filter(
        link_token_hash=token_hash(token)
    )[:1]
    return next(iter(found), None)


# ---- the progress view ----


class RespondentStatus(enum.StrEnum):
    INVITED = "invited"  # invited by e-mail (or joined by link), nothing answered yet
    STARTED = "started"  # at least one answer
    FINISHED = "finished"


@dataclass(frozen=True)
class RespondentRow:
    """An invited respondent as the progress view shows them: never their answers."""

    pk: int
    email: str
    group_name: str
    status: RespondentStatus
    invited_at: datetime.datetime | None
    reminded_at: datetime.datetime | None


@dataclass
class GroupProgress:
    group: RespondentGroup
    joined: int = 0  # invited by e-mail or joined through the link
    invited: int = 0  # of which invited by e-mail
    via_link: int = 0  # of which joined through the anonymous link
    started: int = 0  # has an answer (or finished)
    finished: int = 0

    @property
    def has_link(self) -> bool:
        return self.group.link_token_hash is not None

    @property
    def link_full(self) -> bool:
        cap = self.group.link_cap
        return cap is not None and self.via_link >= cap

    @property
    def percent_finished(self) -> int:
        return round(100 * self.finished / self.joined) if self.joined else 0


@dataclass(frozen=True)
class ScanProgress:
    groups: list[GroupProgress]
    respondents: list[RespondentRow]  # invited by e-mail, in order of invitation
    joined: int
    started: int
    finished: int

    @property
    def percent_finished(self) -> int:
        return round(100 * self.finished / self.joined) if self.joined else 0


def scan_progress(scan: Scan) -> ScanProgress:
    """Counts per group and every invited respondent's status: two queries in all."""
    groups = {group.pk: GroupProgress(group) for group in scan_groups(scan)}
    rows = (
        Respondent.objects.filter(scan=scan)
        .annotate(has_answer=Exists(Answer.objects.filter(respondent=OuterRef("pk"))))
        .values_list(
            "pk", "group_id", "email", "finished_at", "invited_at", "reminded_at", "has_answer"
        )
        .order_by("invited_at", "pk")
    )
    respondents: list[RespondentRow] = []
    joined = started = finished = 0
    for pk, group_id, email, finished_at, invited_at, reminded_at, has_answer in rows:
        if finished_at is not None:
            status = RespondentStatus.FINISHED
        elif has_answer:
            status = RespondentStatus.STARTED
        else:
            status = RespondentStatus.INVITED
        progress = groups.get(group_id)
        joined += 1
        started += status != RespondentStatus.INVITED
        finished += status == RespondentStatus.FINISHED
        if progress is not None:
            progress.joined += 1
            progress.invited += bool(email)
            progress.via_link += not email
            progress.started += status != RespondentStatus.INVITED
            progress.finished += status == RespondentStatus.FINISHED
        if email:
            respondents.append(
                RespondentRow(
                    pk=pk,
                    email=email,
                    group_name=progress.group.name if progress else "",
                    status=status,
                    invited_at=invited_at,
                    reminded_at=reminded_at,
                )
            )
    return ScanProgress(
        groups=list(groups.values()),
        respondents=respondents,
        joined=joined,
        started=started,
        finished=finished,
    )


# ---- what a guided respondent sees ----


@dataclass(frozen=True)
class RespondentScanDetails:
    organisation: str
    title: str
    group: str


def respondent_scan_details(respondent: Respondent) -> RespondentScanDetails | None:
    """The organisation, scan title and group of a guided scan's respondent (one query)."""
    if respondent.scan.kind != Scan.Kind.GUIDED:
        return None
    found = (
        Respondent.objects.filter(pk=respondent.pk)
        .values_list("scan__organisation__name", "scan__title", "group__name")
        .first()
    )
    if found is None:
        return None
    organisation, title, group = found
    return RespondentScanDetails(organisation=organisation or "", title=title, group=group or "")
