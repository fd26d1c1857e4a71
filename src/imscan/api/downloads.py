"""A scan's exports through the API: the files of `reports.exports` and `transfer`, with
the same rules as the downloads on the result pages (docs/exports.md)."""

from __future__ import annotations

import json
from typing import Literal

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

from imscan.api.errors import ApiError, Code
from imscan.reports.exports import (
    ANSWER_FIELDS,
    SCORE_FIELDS,
    ExportUnavailable,
    answers_table,
    export_file,
    records,
    scores_table,
)
from imscan.reports.selectors import self_scan_respondent
from imscan.scans.models import Scan
from imscan.transfer.export import dumps, scan_to_json

ExportKind = Literal["answers", "scores", "report", "scan"]
ExportFormat = Literal["csv", "xlsx", "json", "pdf"]
FORMATS: dict[str, tuple[str, ...]] = {  # the first is the default
    "answers": ("csv", "xlsx", "json"),
    "scores": ("csv", "xlsx", "json"),
    "report": ("pdf",),
    "scan": ("json",),
}
JSON = "application/json"

# For the OpenAPI schema: what a download can be.
CONTENT = {
    "text/csv": {"schema": {"type": "string"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "schema": {"type": "string", "format": "binary"}
    },
    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
    JSON: {"schema": {"type": "object"}},
}
OPENAPI = {"responses": {200: {"description": "The file, as an attachment.", "content": CONTENT}}}


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _transfer(scan: Scan) -> bytes:
    """The whole scan as `imscan export --format json` writes it: for a self-scan only.

    That file names every respondent's group however small it is, so a guided scan's is
    only on the command line, for whoever runs the instance (docs/exports.md)."""
    if scan.kind != Scan.Kind.SELF:
        raise ExportUnavailable(
            _(
                "A guided scan's JSON file is only exported on the command line; "
                "use the answers or scores export."
            )
        )
    if self_scan_respondent(scan) is None:
        raise ExportUnavailable(_("Nobody has finished this scan yet."))
    return dumps(scan_to_json(scan)).encode()


def _records(scan: Scan, kind: str, lang: str) -> bytes:
    if kind == "answers":
        rows = records(answers_table(scan, lang), ANSWER_FIELDS)
    else:
        rows = records(scores_table(scan, lang), SCORE_FIELDS)
    document = {"scan": str(scan.public_id), "kind": kind, "language": lang, "rows": rows}
    return json.dumps(document, ensure_ascii=False, allow_nan=False).encode()


def choose(scan: Scan, kind: str, fmt: str | None, lang: str | None) -> tuple[str, str]:
    """The format (default: the kind's first) and language (default: the scan's) asked for,
    or a validation error before anything else is looked at."""
    fmt = fmt or FORMATS[kind][0]
    if fmt not in FORMATS[kind]:
        raise ApiError(
            422,
            Code.VALIDATION_ERROR,
            _("The %(kind)s export comes as %(formats)s.")
            % {"kind": kind, "formats": ", ".join(FORMATS[kind])},
        )
    languages = [code for code, _name in settings.LANGUAGES]
    lang = lang or scan.language
    if lang not in languages:
        raise ApiError(
            422,
            Code.VALIDATION_ERROR,
            _("Exports come in %(languages)s.") % {"languages": ", ".join(languages)},
        )
    return fmt, lang


def download(scan: Scan, kind: str, fmt: str, lang: str) -> HttpResponse:
    """The export file, as `choose` decided; 409 when the scan cannot be exported (yet)."""
    filename = f"imscan-{scan.public_id}-{kind}-{lang}.{fmt}"
    try:
        if kind == "scan":
            return _file(_transfer(scan), JSON, f"imscan-{scan.public_id}-scan.json")
        if fmt == "json":
            return _file(_records(scan, kind, lang), JSON, filename)
        made = export_file(scan, kind, fmt, lang)
    except ExportUnavailable as error:
        raise ApiError(409, Code.EXPORT_UNAVAILABLE, str(error)) from None
    return _file(made.content, made.content_type, made.filename)
