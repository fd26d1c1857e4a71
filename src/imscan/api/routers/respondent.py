"""A respondent's own scan, opened by its private link token: start a self-scan, answer,
finish, read the result and exports. The link is the permission, as on the web pages
(`scans.access`); the writes are the web pages' services."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Router, Status

from imscan.api import auth, presenters
from imscan.api.downloads import OPENAPI as DOWNLOAD_OPENAPI
from imscan.api.downloads import ExportFormat, ExportKind, choose, download
from imscan.api.errors import ApiError, Code, not_found
from imscan.api.http import cached_json
from imscan.api.routers.models import language_for
from imscan.api.schemas import (
    AnswerIn,
    AnswerOut,
    AnswersIn,
    AnswersOut,
    LanguageCode,
    RespondentOut,
    ScoreResultOut,
    SelfScanCreatedOut,
    SelfScanIn,
    StatementId,
    responses,
)
from imscan.catalog.selectors import engine_model, version_of
from imscan.engine import score
from imscan.scans.access import ScanAccess
from imscan.scans.models import Scan
from imscan.scans.presenters import finished_message, not_open_message
from imscan.scans.selectors import respondent_answers
from imscan.scans.services import (
    InvalidAnswer,
    ScanFinished,
    ScanNotOpen,
    answers_save,
    respondent_finish,
    self_scan_start,
)

router = Router(auth=auth.RESPONDENT)


@router.post(
    "/self-scans",
    auth=auth.PUBLIC,
    response=responses(SelfScanCreatedOut, 201),
    openapi_extra=auth.PUBLIC_OPENAPI,
    summary="Start a self-scan",
)
def create_self_scan(request: HttpRequest, body: SelfScanIn) -> Status[Any]:
    """An anonymous self-scan of a published model, as the start page begins one. The
    answer holds its private link token, once: keep it, it is the only way back in."""
    version = version_of(body.model_id, body.version)
    if version is None:
        raise ApiError(
            422, Code.VALIDATION_ERROR, _("There is no published model with that id and version.")
        )
    model = engine_model(version)
    language = language_for(model, body.language)
    started = self_scan_start(version=version, language=language)
    access = ScanAccess(started.token, started.respondent, model)
    with translation.override(language):
        web_path = reverse("scan-welcome", kwargs={"token": started.token})
    return Status(
        201,
        {
            "token": started.token,
            "web_url": request.build_absolute_uri(web_path),
            "respondent": presenters.respondent(access, {}),
        },
    )


@router.get("/respondent", response=responses(RespondentOut), summary="Read my scan")
def read_respondent(request: HttpRequest) -> dict[str, Any]:
    """The scan the link token opens: its state, the pages, how far the respondent is."""
    access = auth.access_of(request)
    return presenters.respondent(access, respondent_answers(access.respondent))


@router.get("/respondent/answers", response=responses(AnswersOut), summary="Read my answers")
def read_answers(request: HttpRequest) -> dict[str, Any]:
    access = auth.access_of(request)
    return presenters.answers(access.model, respondent_answers(access.respondent))


def _save(access: ScanAccess, answers: dict[str, float | None]) -> None:
    try:
        answers_save(respondent=access.respondent, model=access.model, answers=answers)
    except ScanFinished:
        raise ApiError(409, Code.SCAN_FINISHED, finished_message()) from None
    except ScanNotOpen as error:
        raise ApiError(409, Code.SCAN_NOT_OPEN, not_open_message(error.scan)) from None
    except InvalidAnswer as error:
        raise ApiError(422, Code.INVALID_ANSWER, str(error)) from None


@router.patch("/respondent/answers", response=responses(AnswersOut), summary="Save several answers")
def save_answers(request: HttpRequest, body: AnswersIn) -> dict[str, Any]:
    """Set the given answers, all or none: every answer is checked before any is stored,
    and sending the same answers again changes nothing. Answers not sent stay as they are."""
    access = auth.access_of(request)
    _save(access, body.answers)
    return presenters.answers(access.model, respondent_answers(access.respondent))


def _statement(access: ScanAccess, statement_id: str) -> str:
    if statement_id not in access.model.statement_ids:
        raise not_found()
    return statement_id


@router.get(
    "/respondent/answers/{statement_id}", response=responses(AnswerOut), summary="Read an answer"
)
def read_answer(request: HttpRequest, statement_id: StatementId) -> dict[str, Any]:
    access = auth.access_of(request)
    _statement(access, statement_id)
    given = respondent_answers(access.respondent)
    return {
        "statement_id": statement_id,
        "answered": statement_id in given,
        "value": given.get(statement_id),
    }


@router.put(
    "/respondent/answers/{statement_id}", response=responses(AnswerOut), summary="Save an answer"
)
def save_answer(request: HttpRequest, statement_id: StatementId, body: AnswerIn) -> dict[str, Any]:
    """Set one answer (null: don't know); repeating it changes nothing."""
    access = auth.access_of(request)
    _save(access, {_statement(access, statement_id): body.value})
    return {"statement_id": statement_id, "answered": True, "value": body.value}


@router.post("/respondent/finish", response=responses(RespondentOut), summary="Finish my scan")
def finish(request: HttpRequest) -> dict[str, Any]:
    """The answers become final and the result appears. Refused once finished, or while
    the scan is not open."""
    access = auth.access_of(request)
    try:
        respondent_finish(respondent=access.respondent)
    except ScanFinished:
        raise ApiError(409, Code.SCAN_FINISHED, finished_message()) from None
    except ScanNotOpen as error:
        raise ApiError(409, Code.SCAN_NOT_OPEN, not_open_message(error.scan)) from None
    return presenters.respondent(access, respondent_answers(access.respondent))


def _finished(access: ScanAccess) -> None:
    if access.respondent.finished_at is None:
        raise ApiError(409, Code.NOT_FINISHED, _("The result is there once the scan is finished."))


@router.get("/respondent/result", response=responses(ScoreResultOut), summary="Read my result")
def read_result(request: HttpRequest) -> HttpResponse:
    """The result in the JSON of `imscan score`: scores and levels per node, development
    points with their advice (in every language of the model)."""
    access = auth.access_of(request)
    _finished(access)
    respondent = access.respondent
    assert respondent.finished_at is not None
    # The answers never change once finished: computed once.
    key = f"api-result:{respondent.pk}:{respondent.finished_at.timestamp()}"
    return cached_json(key, lambda: score(access.model, respondent_answers(respondent)).to_json())


@router.get(
    "/respondent/exports/{kind}",
    response=responses(None),
    openapi_extra=DOWNLOAD_OPENAPI,
    summary="Download my self-scan",
)
def export_own_scan(
    request: HttpRequest,
    kind: ExportKind,
    format: ExportFormat | None = None,
    lang: LanguageCode | None = None,
) -> HttpResponse:
    """A finished self-scan's answers or scores (csv, xlsx, json), report (pdf) or the
    whole scan (json, as `imscan export` writes it). A guided scan's are the organisation's."""
    access = auth.access_of(request)
    scan = access.respondent.scan
    if scan.kind != Scan.Kind.SELF:
        raise not_found()
    fmt, language = choose(scan, kind, format, lang)
    _finished(access)
    return download(scan, kind, fmt, language)
