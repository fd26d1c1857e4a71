"""Writes for taking a scan. Every function validates fully before it changes anything."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from imscan.catalog.models import ModelVersion
from imscan.engine import AnswerError, MaturityModel, check_answer
from imscan.insights.recording import measurement_record
from imscan.scans.models import Answer, Respondent, Scan
from imscan.scans.tokens import new_token, token_hash


class ScanFinished(Exception):
    """The respondent has finished: answers can no longer change."""


class ScanNotOpen(Exception):
    """The scan takes no answers: not yet opened, closed by hand or past its closing date."""

    def __init__(self, scan: Scan) -> None:
        super().__init__(f"scan {scan.public_id} is not open")
        self.scan = scan


class InvalidAnswer(Exception):
    """A posted answer does not fit the model: unknown statement or value off the scale."""


@dataclass(frozen=True)
class StartedScan:
    scan: Scan
    respondent: Respondent
    token: str  # shown once, in the resume link; only its hash is stored


def self_scan_start(*, version: ModelVersion, language: str) -> StartedScan:
    """An anonymous self-scan: one respondent, reachable only through its private link."""
    token = new_token()
    with transaction.atomic():
        scan = Scan.objects.create(model_version=version, kind=Scan.Kind.SELF, language=language)
        respondent = Respondent.objects.create(scan=scan, token_hash=token_hash(token))
    return StartedScan(scan=scan, respondent=respondent, token=token)


def answers_save(
    *, respondent: Respondent, model: MaturityModel, answers: Mapping[str, float | None]
) -> int:
    """Store answers (None: don't know), replacing earlier ones; all or nothing.

    One INSERT ... ON CONFLICT for any number of answers, so saving one answer or a whole
    page costs the same single write and repeating a save changes nothing. A scan that is
    not open (not yet opened, or closed: its result is frozen) takes no answers.
    """
    if respondent.is_finished:
        raise ScanFinished
    if not respondent.scan.is_open():
        raise ScanNotOpen(respondent.scan)
    for statement_id, value in answers.items():
        try:
            check_answer(model, statement_id, value)
        except AnswerError as error:
            raise InvalidAnswer(str(error)) from error
    if not answers:
        return 0
    now = timezone.now()
    Answer.objects.bulk_create(
        [
            Answer(respondent=respondent, statement_id=statement_id, value=value, updated_at=now)
            for statement_id, value in answers.items()
        ],
        update_conflicts=True,
        unique_fields=["respondent", "statement_id"],
        update_fields=["value", "updated_at"],
    )
    return len(answers)


def respondent_finish(*, respondent: Respondent) -> None:
    """Finish: the answers are final. Refused once finished, or while the scan is not open."""
    if respondent.is_finished:
        raise ScanFinished
    if not respondent.scan.is_open():
        raise ScanNotOpen(respondent.scan)
    with transaction.atomic():
        respondent.finished_at = timezone.now()
        respondent.save(update_fields=["finished_at"])
        if respondent.scan.kind == Scan.Kind.SELF:
            # A self-scan's result is final now: store its figures for the benchmarks.
            # A guided scan's are stored when it closes.
            measurement_record(scan=respondent.scan)
