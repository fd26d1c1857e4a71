"""A whole scan as JSON: model, scan settings, groups, numbered finished respondents with
their answers, and the result, with a checksum over the canonical payload."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from imscan.catalog.selectors import engine_model
from imscan.engine import MaturityModel, RespondentAnswers, score, score_many
from imscan.scans.models import Respondent, RespondentGroup, Scan

FORMAT = "imscan-scan"
FORMAT_VERSION = 1


def canonical(payload: Any) -> bytes:
    """The bytes the checksum is taken of: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode()


def checksum(payload: Any) -> str:
    return "sha256:" + hashlib.sha256(canonical(payload)).hexdigest()


def _when(value: datetime.datetime | None) -> str | None:
    return None if value is None else value.astimezone(datetime.UTC).isoformat()


def result_json(
    model: MaturityModel, kind: str, team: list[RespondentAnswers]
) -> dict[str, Any] | None:
    """The result as `imscan score` prints it: one respondent for a self-scan, all of them
    for a guided scan; None when nobody finished."""
    if not team:
        return None
    if kind == Scan.Kind.SELF:
        return score(model, team[0].answers).to_json()
    return score_many(model, team).to_json()


def scan_payload(scan: Scan) -> dict[str, Any]:
    version = scan.model_version
    model = engine_model(version)
    groups = list(
        RespondentGroup.objects.filter(scan=scan)
        .order_by("position", "pk")
        .values_list("id", "name")
    )
    keys = {pk: f"g{index}" for index, (pk, _name) in enumerate(groups, start=1)}
    rows = (
        Respondent.objects.filter(scan=scan, finished_at__isnull=False)
        .values_list("id", "group_id", "finished_at", "answers__statement_id", "answers__value")
        .order_by("finished_at", "id")
    )
    people: dict[int, dict[str, Any]] = {}
    for pk, group_id, finished_at, statement_id, value in rows:
        person = people.setdefault(
            pk,
            {
                "group": keys.get(group_id) if group_id is not None else None,
                "finished_at": _when(finished_at),
                "answers": {},
            },
        )
        if statement_id is not None:
            person["answers"][statement_id] = value
    respondents = []
    for number, person in enumerate(people.values(), start=1):
        answers = dict(sorted(person["answers"].items()))
        respondents.append({"number": number, **person, "answers": answers})
    team = [RespondentAnswers(p["group"] or "", p["answers"]) for p in respondents]
    return {
        "model": {
            "id": version.model_id,
            "version": version.version,
            "content_hash": version.content_hash,
        },
        "scan": {
            "kind": scan.kind,
            "title": scan.title,
            "language": scan.language,
            "created_at": _when(scan.created_at),
            "opens_at": _when(scan.opens_at),
            "closes_at": _when(scan.closes_at),
            "closed_at": _when(scan.closed_at),
            "anonymity_threshold": scan.anonymity_threshold,
        },
        "groups": [{"key": keys[pk], "name": name} for pk, name in groups],
        "respondents": respondents,
        "result": result_json(model, scan.kind, team),
    }


def scan_to_json(scan: Scan) -> dict[str, Any]:
    """The export document; write it with `dumps`."""
    payload = scan_payload(scan)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "payload": payload,
        "checksum": checksum(payload),
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
