"""Restoring a scan exported by `transfer.export`: every check first, then one transaction.

The file is refused, and nothing imported, when it is not JSON, of another format version,
changed after export (checksum), of a model this instance does not have or has with other
content, not of the expected shape, or with answers not on the model's scale.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import engine_model
from imscan.engine import AnswerError, RespondentAnswers, check_answer
from imscan.insights.recording import measurement_record
from imscan.organisations.models import Organisation
from imscan.scans.models import Answer, Respondent, RespondentGroup, Scan
from imscan.scans.tokens import new_token, token_hash
from imscan.transfer.export import FORMAT, FORMAT_VERSION, checksum, result_json

# The largest file read, in bytes: 200 respondents x 60 answers is about 1 MB.
MAX_BYTES = 50 * 1024 * 1024


class ImportRefused(Exception):
    """The file cannot be imported; the message says why. Nothing was imported."""


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class _Model(_Strict):
    id: str
    version: str
    content_hash: str


class _Scan(_Strict):
    kind: Literal["self", "guided"]
    title: Annotated[str, StringConstraints(max_length=200)]
    language: Annotated[str, StringConstraints(min_length=1, max_length=8)]
    created_at: datetime.datetime | None
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    anonymity_threshold: Annotated[int, Field(ge=1, le=32767)]


class _Group(_Strict):
    key: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]


class _Respondent(_Strict):
    number: Annotated[int, Field(ge=1)]
    group: str | None
    finished_at: datetime.datetime | None
    answers: dict[str, float | None]


class _Payload(_Strict):
    model: _Model
    scan: _Scan
    groups: list[_Group]
    respondents: list[_Respondent]
    result: dict[str, Any] | None


@dataclass(frozen=True)
class ImportOutcome:
    scan: Scan
    respondents: int
    # The result recomputed here equals the file's (it does unless scoring changed).
    result_matches: bool
    # The private link token of a self-scan's respondent (the only way into an unclaimed
    # self-scan); None for a guided scan.
    token: str | None


def _validate(model: type[_Strict], data: Any) -> Any:
    # Timestamps are ISO 8601 strings in the file; strict mode wants them parsed as JSON.
    return model.model_validate_json(json.dumps(data))


def read(text: str | bytes) -> _Payload:
    """The checked payload of an export file, or ImportRefused."""
    if len(text) > MAX_BYTES:
        raise ImportRefused(_("The file is too large to import."))
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ImportRefused(_("The file is not valid JSON: %(error)s") % {"error": error}) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportRefused(_("The file is not an IMS Scan scan export."))
    if document.get("format_version") != FORMAT_VERSION:
        raise ImportRefused(
            _("Format version %(found)s is not supported; this instance reads version %(ours)s.")
            % {"found": document.get("format_version"), "ours": FORMAT_VERSION}
        )
    if set(document) != {"format", "format_version", "payload", "checksum"}:
        raise ImportRefused(_("The file has missing or unknown fields."))
    try:
        expected = checksum(document["payload"])
    except ValueError:
        expected = ""
    if document["checksum"] != expected:
        raise ImportRefused(
            _("The checksum does not match: the file was changed after it was exported.")
        )
    try:
        return _validate(_Payload, document["payload"])  # type: ignore[no-any-return]
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ImportRefused(
            _("The file's content is not as expected at %(where)s: %(message)s")
            % {"where": where, "message": first["msg"]}
        ) from None


def _version(payload: _Payload) -> ModelVersion:
    found = ModelVersion.objects.filter(
        model_id=payload.model.id, version=payload.model.version
    ).first()
    if found is None:
        raise ImportRefused(
            _(
                "Model %(id)s version %(version)s is not installed here; "
                "load it first (imscan loadmodels)."
            )
            % {"id": payload.model.id, "version": payload.model.version}
        )
    if found.content_hash != payload.model.content_hash:
        raise ImportRefused(
            _(
                "Model %(id)s version %(version)s is installed here with different content "
                "(content hash %(ours)s, the file's %(theirs)s)."
            )
            % {
                "id": payload.model.id,
                "version": payload.model.version,
                "ours": found.content_hash[:12],
                "theirs": payload.model.content_hash[:12],
            }
        )
    return found


def _check(payload: _Payload, version: ModelVersion, organisation: Organisation | None) -> None:
    model = engine_model(version)
    if payload.scan.language not in model.languages:
        raise ImportRefused(
            _("The scan's language %(language)s is not a language of its model.")
            % {"language": payload.scan.language}
        )
    keys = [group.key for group in payload.groups]
    names = [group.name for group in payload.groups]
    if len(set(keys)) != len(keys) or len(set(names)) != len(names):
        raise ImportRefused(_("The file has two groups with the same key or name."))
    numbers = [respondent.number for respondent in payload.respondents]
    if len(set(numbers)) != len(numbers):
        raise ImportRefused(_("The file has two respondents with the same number."))
    for respondent in payload.respondents:
        if respondent.group is not None and respondent.group not in keys:
            raise ImportRefused(
                _("Respondent %(number)d is in an unknown group.") % {"number": respondent.number}
            )
        for statement_id, value in respondent.answers.items():
            try:
                check_answer(model, statement_id, value)
            except AnswerError as error:
                raise ImportRefused(
                    _("Respondent %(number)d: %(error)s")
                    % {"number": respondent.number, "error": error}
                ) from None
    if payload.scan.kind == "self":
        if len(payload.respondents) > 1 or payload.groups:
            raise ImportRefused(_("A self-scan has one respondent and no groups."))
    elif organisation is None:
        raise ImportRefused(
            _("A guided scan belongs to an organisation: choose one to import it into.")
        )


def scan_from_json(text: str | bytes, organisation: Organisation | None = None) -> ImportOutcome:
    """Import an export file as a new scan (new ids, fresh tokens), or raise ImportRefused
    and import nothing. A self-scan without an organisation becomes an unclaimed one."""
    payload = read(text)
    version = _version(payload)
    _check(payload, version, organisation)
    model = engine_model(version)
    now = timezone.now()
    info = payload.scan
    token = None
    with transaction.atomic():
        scan = Scan.objects.create(
            model_version=version,
            kind=info.kind,
            language=info.language,
            organisation=organisation,
            title=info.title,
            opens_at=info.opens_at,
            closes_at=info.closes_at,
            closed_at=info.closed_at,
            anonymity_threshold=info.anonymity_threshold,
        )
        if info.created_at is not None:
            Scan.objects.filter(pk=scan.pk).update(created_at=info.created_at)
            scan.created_at = info.created_at
        groups = {
            group.key: RespondentGroup.objects.create(scan=scan, name=group.name, position=index)
            for index, group in enumerate(payload.groups)
        }
        answers = []
        for item in sorted(payload.respondents, key=lambda r: r.number):
            token = new_token()
            respondent = Respondent.objects.create(
                scan=scan,
                group=groups[item.group] if item.group is not None else None,
                token_hash=token_hash(token),
                finished_at=item.finished_at,
            )
            answers += [
                Answer(
                    respondent=respondent,
                    statement_id=statement_id,
                    value=value,
                    updated_at=item.finished_at or now,
                )
                for statement_id, value in item.answers.items()
            ]
        Answer.objects.bulk_create(answers, batch_size=1000)
        measurement_record(scan=scan)  # a finished or closed scan counts like any other
    team = [
        RespondentAnswers(r.group or "", r.answers)
        for r in sorted(payload.respondents, key=lambda r: r.number)
        if r.finished_at is not None
    ]
    recomputed = result_json(model, info.kind, team)
    return ImportOutcome(
        scan=scan,
        respondents=len(payload.respondents),
        result_matches=recomputed == payload.result,
        token=token if info.kind == "self" else None,
    )
