"""The impact follow-up: N months after a finished scan (per model, settings
IMSCAN_FOLLOWUP_MONTHS and IMSCAN_FOLLOWUP_MONTHS_BY_MODEL) the organisation's contact is
invited to a short survey (the shipped model `impact-followup`). `imscan send_followups`
runs `followups_send` from cron.

Never twice: a scan has at most one FollowUp row (a unique constraint), created before
the e-mail goes out; a run that finds the row leaves the scan alone, also when another
run created it a moment ago. A send that fails is retried in a later run with a new link;
a process that dies between sending and recording leaves the row "being sent", and it is
not sent again (at most once, rather than perhaps twice).
"""

from __future__ import annotations

import calendar
import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import engine_model
from imscan.engine import AnswerError, check_answer
from imscan.insights.models import FollowUp, FollowUpAnswer, Measurement, Participation
from imscan.insights.recording import measurements_backfill
from imscan.organisations.models import Membership
from imscan.scans.tokens import new_token, token_hash

logger = logging.getLogger(__name__)

# A follow-up this many days past its due date is no longer sent: it would ask about a
# longer period than the survey means (and cron was evidently not running).
SEND_WITHIN_DAYS = 60
# An organisation is not asked again within this many days of an invitation.
DAYS_BETWEEN = 90
# The link takes answers for this many days after it was sent.
ANSWER_DAYS = 60

SKIP_NEWER = "a newer scan of the organisation is followed up instead"
SKIP_RECENT = "the organisation was invited to a follow-up less than 90 days ago"
SKIP_OFF = "the organisation switched follow-ups off"
SKIP_NO_ADDRESS = "no contact address and no owner"


class FollowUpUnavailable(Exception):
    """The survey model is not stored: run `imscan loadmodels`."""


class FollowUpClosed(Exception):
    """The follow-up no longer takes answers."""


class InvalidFollowUpAnswer(Exception):
    """An answer that does not fit the survey; the message says which."""


@dataclass
class FollowUpRun:
    sent: int = 0
    failed: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    tried: set[int] = field(default_factory=set)  # follow-ups sent or tried in this run

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def months_for(model_id: str) -> int:
    """How many months after a finished scan of this model its follow-up is due (0: none)."""
    by_model: dict[str, int] = settings.IMSCAN_FOLLOWUP_MONTHS_BY_MODEL
    return by_model.get(model_id, int(settings.IMSCAN_FOLLOWUP_MONTHS))


def add_months(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day `months` later, or the month's last day (31 August + 6 = 28 February)."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def survey_version() -> ModelVersion:
    version = (
        ModelVersion.objects.defer("source")
        .filter(model_id=settings.IMSCAN_FOLLOWUP_SURVEY)
        .order_by("-created_at", "-id")
        .first()
    )
    if version is None:
        raise FollowUpUnavailable(
            f"the survey model {settings.IMSCAN_FOLLOWUP_SURVEY!r} is not stored:"
            " run `imscan loadmodels` first"
        )
    return version


def _due(now: datetime.datetime) -> list[Measurement]:
    """Measurements whose follow-up is due now and that have none yet, newest first."""
    by_model: dict[str, int] = settings.IMSCAN_FOLLOWUP_MONTHS_BY_MODEL
    longest = max([int(settings.IMSCAN_FOLLOWUP_MONTHS), *by_model.values()])
    earliest = add_months(now, -longest) - datetime.timedelta(days=SEND_WITHIN_DAYS)
    found = (
        Measurement.objects.filter(
            month__gte=timezone.localtime(earliest).date().replace(day=1),  # its index
            organisation__isnull=False,
            respondents__gt=0,
            measured_at__gte=earliest,
            scan__followup__isnull=True,
        )
        .select_related("scan__created_by", "organisation", "model_version")
        .defer("model_version__source")
        .order_by("-measured_at", "-pk")
    )
    due = []
    for measurement in found:
        months = months_for(measurement.model_version.model_id)
        if not months:
            continue
        when = add_months(measurement.measured_at, months)
        if when <= now < when + datetime.timedelta(days=SEND_WITHIN_DAYS):
            due.append(measurement)
    return due


def _recipient(measurement: Measurement, participation: Participation | None) -> str:
    """The organisation's contact address; else the scan's creator while still a member;
    else its first owner."""
    if participation is not None and participation.contact_email:
        return participation.contact_email
    members = Membership.objects.filter(organisation=measurement.organisation).select_related(
        "user"
    )
    creator = measurement.scan.created_by
    if creator is not None and members.filter(user=creator).exists() and creator.email:
        return creator.email
    owner = members.filter(role=Membership.Role.OWNER).order_by("created_at", "pk").first()
    return owner.user.email if owner is not None else ""


def followups_send(*, site_url: str, now: datetime.datetime | None = None) -> FollowUpRun:
    """Invite the contacts of every organisation whose scan's follow-up is due; idempotent."""
    measurements_backfill()  # guided scans closed by their closing date are due too
    now = now or timezone.now()
    survey = survey_version()
    run = FollowUpRun()
    recent = set(
        FollowUp.objects.filter(
            sent_at__gte=now - datetime.timedelta(days=DAYS_BETWEEN)
        ).values_list("organisation_id", flat=True)
    )
    due = _due(now)
    choices = {
        p.organisation_id: p
        for p in Participation.objects.filter(organisation_id__in={m.organisation_id for m in due})
    }
    invited: set[int] = set()
    for measurement in due:
        organisation_id = measurement.organisation_id
        assert organisation_id is not None
        participation = choices.get(organisation_id)
        reason, address = "", ""
        if organisation_id in invited:
            reason = SKIP_NEWER
        elif organisation_id in recent:
            reason = SKIP_RECENT
        elif participation is not None and not participation.followups:
            reason = SKIP_OFF
        else:
            address = _recipient(measurement, participation)
            reason = "" if address else SKIP_NO_ADDRESS
        invited.add(organisation_id)
        token = new_token()
        try:
            with transaction.atomic():
                followup = FollowUp.objects.create(
                    scan=measurement.scan,
                    organisation_id=organisation_id,
                    survey_version=survey,
                    status=FollowUp.Status.SKIPPED if reason else FollowUp.Status.SENDING,
                    reason=reason,
                    language=measurement.scan.language,
                    token_hash=None if reason else token_hash(token),
                )
        except IntegrityError:
            continue  # another run got there first: that run sends it
        if reason:
            run.skip(reason)
            continue
        _deliver(followup, measurement, address, token, site_url, now, run)
    _retry_failed(site_url, now, run)
    return run


def _deliver(
    followup: FollowUp,
    measurement: Measurement,
    address: str,
    token: str,
    site_url: str,
    now: datetime.datetime,
    run: FollowUpRun,
) -> None:
    run.tried.add(followup.pk)
    try:
        _send(followup, measurement, address, token, site_url)
    except Exception as error:  # an SMTP error: nothing was sent, so try again later
        logger.warning("follow-up of scan %s not sent: %s", measurement.scan_id, error)
        followup.status, followup.reason = FollowUp.Status.FAILED, str(error)[:200]
        followup.save(update_fields=["status", "reason"])
        run.failed += 1
        return
    followup.status, followup.sent_at = FollowUp.Status.SENT, now
    followup.save(update_fields=["status", "sent_at"])
    run.sent += 1


def _retry_failed(site_url: str, now: datetime.datetime, run: FollowUpRun) -> None:
    """Sends that failed in an earlier run of the last days, with a new link (only the
    old link's hash is kept)."""
    since = now - datetime.timedelta(days=SEND_WITHIN_DAYS)
    failed = FollowUp.objects.filter(status=FollowUp.Status.FAILED, created_at__gte=since).exclude(
        pk__in=run.tried
    )
    for followup in failed.select_related("scan__measurement", "organisation"):
        measurement = followup.scan.measurement
        address = _recipient(
            measurement, Participation.objects.filter(organisation=followup.organisation).first()
        )
        if not address:
            continue
        token = new_token()
        updated = FollowUp.objects.filter(pk=followup.pk, status=FollowUp.Status.FAILED).update(
            status=FollowUp.Status.SENDING, token_hash=token_hash(token)
        )
        if updated:  # not taken by a run at the same moment
            _deliver(followup, measurement, address, token, site_url, now, run)


def _send(
    followup: FollowUp, measurement: Measurement, address: str, token: str, site_url: str
) -> None:
    scan = measurement.scan
    with translation.override(followup.language):
        link = site_url.rstrip("/") + reverse("followup", kwargs={"token": token})
        model = engine_model(measurement.model_version)
        text = render_to_string(
            "emails/followup_invitation.txt",
            {
                "organisation": measurement.organisation,
                "scan": scan,
                "model": model,
                "finished": timezone.localtime(measurement.measured_at),
                "link": link,
                "days": ANSWER_DAYS,
                "threshold": settings.IMSCAN_MIN_ORGANISATIONS,
                "statements": engine_model(followup.survey_version).statement_total,
            },
        )
    subject, _blank, body = text.strip().partition("\n")
    message = EmailMessage(f"IMS Scan: {subject.strip()}", body.strip() + "\n", to=[address])
    get_connection().send_messages([message])


# ---- answering ----


def followup_by_token(token: str) -> FollowUp | None:
    return (
        FollowUp.objects.select_related(
            "survey_version", "scan__model_version", "organisation", "scan__measurement"
        )
        .defer("scan__model_version__source")
        .filter(token_hash=token_hash(token))
        .exclude(status=FollowUp.Status.SKIPPED)
        .first()
    )


def answers_open_until(followup: FollowUp) -> datetime.datetime | None:
    sent = followup.sent_at or followup.created_at
    return sent + datetime.timedelta(days=ANSWER_DAYS) if sent else None


def followup_answers_save(
    *, followup: FollowUp, answers: dict[str, float | None], now: datetime.datetime | None = None
) -> int:
    """Store the survey's answers (None: don't know), replacing earlier ones; all or none.
    At least one answer is needed; the link takes answers for ANSWER_DAYS days."""
    now = now or timezone.now()
    until = answers_open_until(followup)
    if until is not None and now >= until:
        raise FollowUpClosed
    model = engine_model(followup.survey_version)
    for statement_id, value in answers.items():
        try:
            check_answer(model, statement_id, value)
        except AnswerError as error:
            raise InvalidFollowUpAnswer(str(error)) from error
    if not answers:
        raise InvalidFollowUpAnswer(_("Answer at least one question."))
    with transaction.atomic():
        FollowUpAnswer.objects.filter(followup=followup).exclude(
            statement_id__in=list(answers)
        ).delete()
        FollowUpAnswer.objects.bulk_create(
            [
                FollowUpAnswer(followup=followup, statement_id=statement_id, value=value)
                for statement_id, value in answers.items()
            ],
            update_conflicts=True,
            unique_fields=["followup", "statement_id"],
            update_fields=["value"],
        )
        FollowUp.objects.filter(pk=followup.pk).update(answered_at=now)
    followup.answered_at = now
    return len(answers)


def saved_answers(followup: FollowUp) -> dict[str, float | None]:
    return dict(
        FollowUpAnswer.objects.filter(followup=followup).values_list("statement_id", "value")
    )
