"""Writes for guided scans: creating and editing, groups and their links, invitations,
reminders, joining through a group link and closing.

Every function checks everything before it changes anything, and refuses with a
`GuidedScanError` (a message for the person, and the form field it is about) when it
cannot do what was asked. E-mails go out only after the change is committed.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from imscan.catalog.models import ModelVersion
from imscan.insights.recording import measurement_record
from imscan.organisations.models import ConsultantProfile, Organisation
from imscan.permissions import Role, roles
from imscan.scans import guided_selectors as selectors
from imscan.scans.models import Respondent, RespondentGroup, Scan
from imscan.scans.services import ScanNotOpen
from imscan.scans.tokens import new_token, token_hash

MIN_ANONYMITY_THRESHOLD = 2
MAX_ANONYMITY_THRESHOLD = 100
MAX_INVITATIONS_AT_ONCE = 500
MAX_LINK_CAP = 1000
REMINDER_INTERVAL = datetime.timedelta(hours=24)
# An opening date-time typed as "now" is a few minutes old when the form arrives.
OPENING_GRACE = datetime.timedelta(minutes=15)


BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")


class GuidedScanError(Exception):
    """A refused change: `message` says why, `field` names the form field (None: the form)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotCertified(GuidedScanError):
    """The consultant's certificate has expired or is not verified: they cannot guide."""


class ScanClosed(GuidedScanError):
    """The scan is closed: its result is frozen, nothing about it changes any more."""


class AddressesRefused(GuidedScanError):
    """Some addresses cannot be invited (already invited, or twice in the list)."""


class LinkNotFound(Exception):
    """No group has this link: it never existed, or it was replaced or removed."""


class LinkFull(GuidedScanError):
    """As many people as the link's cap have joined the group through it."""


@dataclass(frozen=True)
class JoinedRespondent:
    respondent: Respondent
    token: str  # the respondent's own private link; only its hash is stored


@dataclass(frozen=True)
class ReminderResult:
    sent: int
    skipped: int  # reminded less than 24 hours ago


# ---- who guides ----


def acting_consultant(*, user: Any, organisation: Organisation) -> ConsultantProfile | None:
    """The user's consultant profile when their only role in the organisation is consultant.

    Such a user guides the scans they create; owners and members choose a guide (or none).
    """
    if roles(user, organisation) == frozenset({Role.CONSULTANT}):
        profile: ConsultantProfile = user.consultant
        return profile
    return None


def not_certified_message(consultant: ConsultantProfile, *, yourself: bool) -> str:
    if consultant.verified_at is None:
        if yourself:
            return _(
                "Your certificate has not been verified yet, so you cannot create a guided"
                " scan. Programme staff verify certificates; once yours is verified you can."
            )
        return _(
            "%(name)s's certificate has not been verified yet, so they cannot guide a scan."
        ) % {"name": consultant.display_name}
    if yourself:
        return _(
            "Your certificate expired on %(date)s, so you cannot create a guided scan. Renew"
            " it and update your consultant profile first."
        ) % {"date": _date(consultant.valid_until)}
    return _("%(name)s's certificate expired on %(date)s, so they cannot guide a scan.") % {
        "name": consultant.display_name,
        "date": _date(consultant.valid_until),
    }


def _date(value: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(value, "DATE_FORMAT")


def _check_guide(organisation: Organisation, guide: ConsultantProfile) -> None:
    if not selectors.is_engaged(organisation, guide):
        raise GuidedScanError(
            _("%(name)s is not a consultant engaged by %(organisation)s.")
            % {"name": guide.display_name, "organisation": organisation.name},
            field="guide",
        )
    if not guide.is_certified:
        raise NotCertified(not_certified_message(guide, yourself=False), field="guide")


def _check_settings(
    *,
    opens_at: datetime.datetime | None,
    closes_at: datetime.datetime | None,
    anonymity_threshold: int,
) -> None:
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        raise GuidedScanError(_("The closing date must be after the opening date."), "closes_at")
    if closes_at is not None and closes_at <= timezone.now():
        raise GuidedScanError(_("The closing date must be in the future."), "closes_at")
    if not MIN_ANONYMITY_THRESHOLD <= anonymity_threshold <= MAX_ANONYMITY_THRESHOLD:
        raise GuidedScanError(
            _("The minimum number of respondents per group must be between %(min)s and %(max)s.")
            % {"min": MIN_ANONYMITY_THRESHOLD, "max": MAX_ANONYMITY_THRESHOLD},
            "anonymity_threshold",
        )


def _check_opening(opens_at: datetime.datetime | None) -> None:
    if opens_at is not None and opens_at < timezone.now() - OPENING_GRACE:
        raise GuidedScanError(_("The opening date cannot be in the past."), "opens_at")


def _check_group_names(names: Sequence[str], existing: Sequence[str] = ()) -> list[str]:
    cleaned = [name.strip() for name in names if name.strip()]
    if not cleaned:
        raise GuidedScanError(_("Give at least one group."), "groups")
    seen = {name.casefold() for name in existing}
    for name in cleaned:
        if len(name) > 100:
            raise GuidedScanError(
                _("A group name can be at most 100 characters: “%(name)s…”.") % {"name": name[:40]},
                "groups",
            )
        if name.casefold() in seen:
            raise GuidedScanError(
                _("There is already a group called “%(name)s”.") % {"name": name}, "groups"
            )
        seen.add(name.casefold())
    return cleaned


def _refuse_if_closed(scan: Scan) -> None:
    if scan.is_closed():
        raise ScanClosed(_("This scan is closed, so it can no longer be changed."))


# ---- creating, editing, closing ----


def guided_scan_create(
    *,
    organisation: Organisation,
    created_by: Any,
    version: ModelVersion,
    title: str,
    language: str,
    group_names: Sequence[str],
    opens_at: datetime.datetime | None,
    closes_at: datetime.datetime | None,
    anonymity_threshold: int,
    guide: ConsultantProfile | None,
) -> Scan:
    """A guided scan with its groups. A consultant who creates it guides it themselves."""
    consultant = acting_consultant(user=created_by, organisation=organisation)
    if consultant is not None:
        if not consultant.is_certified:
            raise NotCertified(not_certified_message(consultant, yourself=True))
        guide = consultant
    elif guide is not None:
        _check_guide(organisation, guide)
    _check_opening(opens_at)
    _check_settings(opens_at=opens_at, closes_at=closes_at, anonymity_threshold=anonymity_threshold)
    names = _check_group_names(group_names)
    with transaction.atomic():
        scan = Scan.objects.create(
            model_version=version,
            kind=Scan.Kind.GUIDED,
            language=language,
            organisation=organisation,
            title=title.strip(),
            created_by=created_by,
            guide=guide,
            opens_at=opens_at,
            closes_at=closes_at,
            anonymity_threshold=anonymity_threshold,
        )
        RespondentGroup.objects.bulk_create(
            RespondentGroup(scan=scan, name=name, position=position)
            for position, name in enumerate(names)
        )
    return scan


def guided_scan_update(
    *,
    scan: Scan,
    title: str,
    opens_at: datetime.datetime | None,
    closes_at: datetime.datetime | None,
    anonymity_threshold: int,
    guide: ConsultantProfile | None,
) -> Scan:
    """Change the title, dates, anonymity threshold and guide until the scan closes.

    The opening date can only change while the scan has not opened yet; a guide who is
    already guiding the scan stays allowed, a newly chosen one must be engaged and certified.
    """
    _refuse_if_closed(scan)
    assert scan.organisation is not None
    opened = selectors.has_opened(scan)
    if opened and opens_at != scan.opens_at:
        raise GuidedScanError(
            _("The scan has already opened, so its opening date can no longer change."),
            "opens_at",
        )
    if not opened:
        _check_opening(opens_at)
    _check_settings(opens_at=opens_at, closes_at=closes_at, anonymity_threshold=anonymity_threshold)
    if guide is not None and guide.pk != scan.guide_id:
        _check_guide(scan.organisation, guide)
    scan.title = title.strip()
    scan.opens_at = opens_at
    scan.closes_at = closes_at
    scan.anonymity_threshold = anonymity_threshold
    scan.guide = guide
    scan.save(update_fields=["title", "opens_at", "closes_at", "anonymity_threshold", "guide"])
    return scan


def scan_close(*, scan: Scan) -> Scan:
    """Close now: no more answers, the result is frozen. Closing twice is refused."""
    now = timezone.now()
    if scan.is_closed(now):
        raise ScanClosed(_("This scan is already closed."))
    with transaction.atomic():
        if not Scan.objects.filter(pk=scan.pk, closed_at__isnull=True).update(closed_at=now):
            raise ScanClosed(_("This scan is already closed."))  # closed at the same moment
        scan.closed_at = now
        measurement_record(scan=scan)  # the team result is final: store its figures
    return scan


# ---- groups and their anonymous links ----


def groups_add(*, scan: Scan, names: Sequence[str]) -> list[RespondentGroup]:
    _refuse_if_closed(scan)
    existing = list(selectors.scan_groups(scan).values_list("name", flat=True))
    cleaned = _check_group_names(names, existing)
    first = len(existing)
    try:
        with transaction.atomic():
            return RespondentGroup.objects.bulk_create(
                RespondentGroup(scan=scan, name=name, position=first + offset)
                for offset, name in enumerate(cleaned)
            )
    except IntegrityError as error:  # added at the same moment by someone else
        raise GuidedScanError(_("One of these groups already exists."), "groups") from error


def group_link_create(*, group: RespondentGroup, cap: int) -> str:
    """Create or replace the group's anonymous link; returns its token, shown only once.

    The cap counts everyone who joined the group through a link, earlier links included.
    """
    _refuse_if_closed(group.scan)
    if not 1 <= cap <= MAX_LINK_CAP:
        raise GuidedScanError(
            _("The maximum must be between 1 and %(max)s.") % {"max": MAX_LINK_CAP}, "cap"
        )
    joined = selectors.link_joined_count(group)
    if cap <= joined:
        raise GuidedScanError(
            ngettext(
                "%(count)s person has already joined this group through a link: the maximum"
                " must be higher than that.",
                "%(count)s people have already joined this group through a link: the maximum"
                " must be higher than that.",
                joined,
            )
            % {"count": joined},
            "cap",
        )
    token = new_token()
    group.link_token_hash = token_hash(token)
    group.link_cap = cap
    group.save(update_fields=["link_token_hash", "link_cap"])
    return token


def group_link_remove(*, group: RespondentGroup) -> None:
    """The group's link stops working; who joined through it keeps their own link."""
    group.link_token_hash = None
    group.link_cap = None
    group.save(update_fields=["link_token_hash", "link_cap"])


def group_join(*, token: str) -> JoinedRespondent:
    """Someone with the group's link joins: a new respondent with their own private link.

    The cap holds under concurrent joins: on PostgreSQL the group's row is locked while
    counting; SQLite's IMMEDIATE transactions let only one writer in at a time.
    """
    with transaction.atomic():
        group = (
            RespondentGroup.objects.select_for_update(of=("self",))
            .select_related("scan")
            .filter(link_token_hash=token_hash(token))
            .first()
        )
        if group is None:
            raise LinkNotFound
        if not group.scan.is_open():
            raise ScanNotOpen(group.scan)
        if group.link_cap is not None and selectors.link_joined_count(group) >= group.link_cap:
            raise LinkFull(
                _("This group is full: the link has been used by as many people as allowed.")
            )
        personal = new_token()
        respondent = Respondent.objects.create(
            scan=group.scan, group=group, token_hash=token_hash(personal)
        )
    return JoinedRespondent(respondent=respondent, token=personal)


# ---- invitations and reminders ----


def normalise_address(address: str) -> str:
    return address.strip().lower()


def respondents_invite(
    *, scan: Scan, group: RespondentGroup, addresses: Sequence[str], base_url: str
) -> list[Respondent]:
    """One respondent per address, each e-mailed their personal link; all or nothing."""
    _refuse_if_closed(scan)
    if group.scan_id != scan.pk:
        raise GuidedScanError(_("Choose one of this scan's groups."), "group")
    wanted = [normalise_address(address) for address in addresses]
    if not wanted:
        raise GuidedScanError(_("Give at least one e-mail address."), "addresses")
    if len(wanted) > MAX_INVITATIONS_AT_ONCE:
        raise GuidedScanError(
            _("You can invite at most %(max)s addresses at once.")
            % {"max": MAX_INVITATIONS_AT_ONCE},
            "addresses",
        )
    twice = sorted(address for address, n in Counter(wanted).items() if n > 1)
    if twice:
        raise AddressesRefused(
            _("These addresses are in the list more than once: %(addresses)s.")
            % {"addresses": ", ".join(twice)},
            "addresses",
        )
    _refuse_invited(scan, wanted)
    now = timezone.now()
    tokens = [new_token() for _address in wanted]
    try:
        with transaction.atomic():
            respondents = Respondent.objects.bulk_create(
                Respondent(
                    scan=scan,
                    group=group,
                    email=address,
                    token_hash=token_hash(token),
                    invited_at=now,
                )
                for address, token in zip(wanted, tokens, strict=True)
            )
    except IntegrityError as error:  # invited by someone else at the same moment
        _refuse_invited(scan, wanted)
        raise error
    _send(
        scan,
        "emails/respondent_invitation.txt",
        [
            (respondent, token, group.name)
            for respondent, token in zip(respondents, tokens, strict=True)
        ],
        base_url,
    )
    return respondents


def _refuse_invited(scan: Scan, addresses: Sequence[str]) -> None:
    already = selectors.invited_addresses(scan, addresses)
    if already:
        raise AddressesRefused(
            ngettext(
                "This address has already been invited to this scan: %(addresses)s.",
                "These addresses have already been invited to this scan: %(addresses)s.",
                len(already),
            )
            % {"addresses": ", ".join(already)},
            "addresses",
        )


def respondents_remind(
    *, scan: Scan, base_url: str, group: RespondentGroup | None = None
) -> ReminderResult:
    """E-mail every invited respondent who has not finished a new personal link.

    Only the hash of a link is stored, so a reminder cannot repeat the old link: it issues
    a new one (the answers stay, they belong to the respondent) and the old one stops
    working. Nobody is reminded twice within 24 hours.
    """
    _refuse_if_closed(scan)
    if not scan.is_open():
        raise ScanNotOpen(scan)
    now = timezone.now()
    with transaction.atomic():
        pending = (
            Respondent.objects.select_for_update(of=("self",))
            .filter(scan=scan, finished_at__isnull=True)
            .exclude(email="")
            .select_related("group")
            .order_by("pk")
        )
        if group is not None:
            pending = pending.filter(group=group)
        due: list[tuple[Respondent, str]] = []
        skipped = 0
        for respondent in pending:
            if (
                respondent.reminded_at is not None
                and now - respondent.reminded_at < REMINDER_INTERVAL
            ):
                skipped += 1
                continue
            token = new_token()
            respondent.token_hash = token_hash(token)
            respondent.reminded_at = now
            due.append((respondent, token))
        Respondent.objects.bulk_update(
            [respondent for respondent, _token in due], ["token_hash", "reminded_at"]
        )
    _send(
        scan,
        "emails/respondent_reminder.txt",
        [
            (respondent, token, respondent.group.name if respondent.group else "")
            for respondent, token in due
        ],
        base_url,
    )
    return ReminderResult(sent=len(due), skipped=skipped)


def _send(
    scan: Scan,
    template: str,
    recipients: Sequence[tuple[Respondent, str, str]],
    base_url: str,
) -> None:
    """One e-mail per respondent, in the scan's language, over one connection.

    The template's first line is the subject, the rest the body.
    """
    if not recipients:
        return
    messages = []
    with translation.override(scan.language):
        common = {
            "organisation": scan.organisation.name if scan.organisation else "",
            "title": scan.title,
            "guide": scan.guide.display_name if scan.guide else "",
            "opens_at": scan.opens_at,
            "closes_at": scan.closes_at,
            "threshold": scan.anonymity_threshold,
        }
        for respondent, token, group_name in recipients:
            link = base_url.rstrip("/") + reverse("scan-welcome", kwargs={"token": token})
            text = render_to_string(template, {**common, "group": group_name, "link": link})
            subject, _blank, body = text.strip().partition("\n")
            body = BLANK_LINES.sub("\n\n", body.strip()) + "\n"
            messages.append(EmailMessage(subject.strip(), body, to=[respondent.email]))
    get_connection().send_messages(messages)
