"""Open data: the levels per part by type of government and calendar year, anonymised and
aggregated so that it is safe to publish (docs/insights.md, "Open data").

Every organisation counts once per year, with its latest counted result of that year.
Only completed years are published: the figures of a year still under way would change
with every new scan, and comparing two downloads would then tell something about the one
organisation that came in between. Per model version and year, "all types" and each type
of government are released together (insights.privacy); a withheld row has no figures.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import engine_model
from imscan.engine import MaturityModel, level_for_score, tr
from imscan.insights.benchmark import KINDS
from imscan.insights.models import Measurement
from imscan.insights.privacy import publishable, quartiles
from imscan.reports.exports import neutralise

ALL_TYPES = "all"
OVERALL = "overall"


@dataclass(frozen=True)
class ColumnDoc:
    name: str
    description: str | Promise  # lazy: in the language it is read in


COLUMNS = [
    ColumnDoc("model", _("The model's id, for example ims-gov.")),
    ColumnDoc(
        "model_version",
        _("The model's version. Only results of the same version are taken together."),
    ),
    ColumnDoc("year", _("The calendar year in which the results became final.")),
    ColumnDoc(
        "government_type",
        _(
            "“all” for every type together, or one of national, provincial, municipal,"
            " water-authority, agency and other."
        ),
    ),
    ColumnDoc("part", _("The part's id in the model, or “overall” for the overall score.")),
    ColumnDoc("part_title_nl", _("The part's title in Dutch.")),
    ColumnDoc("part_title_en", _("The part's title in English.")),
    ColumnDoc(
        "organisations",
        _("The number of organisations behind the figures; empty when withheld."),
    ),
    ColumnDoc("median_score", _("The median of the organisations' scores, one decimal.")),
    ColumnDoc("q1_score", _("The first quartile of the scores: a quarter scores lower.")),
    ColumnDoc("q3_score", _("The third quartile of the scores: a quarter scores higher.")),
    ColumnDoc("median_level", _("The maturity level that the median score falls in.")),
    ColumnDoc(
        "withheld",
        _(
            "true when the row's figures are withheld: fewer than the threshold of"
            " organisations, or they would let a smaller group be worked out."
        ),
    ),
]
NAMES = [column.name for column in COLUMNS]


@dataclass(frozen=True)
class _Result:
    organisation_id: int
    kind: str
    overall: float
    parts: dict[str, float]


def _overall_title() -> dict[str, str]:
    titles = {}
    for language in ("nl", "en"):
        with translation.override(language):
            titles[language] = str(_("Overall score"))
    return titles


def _items(model: MaturityModel) -> list[tuple[str, dict[str, str]]]:
    return [(OVERALL, _overall_title()), *((p.id, dict(p.title)) for p in model.parts())]


def rows(today: datetime.date | None = None) -> list[dict[str, object]]:
    """Every published row: per model version, completed year, type (and all types) and
    item (the overall score and each part). One query."""
    this_year = (today or timezone.localdate()).year
    grouped: dict[tuple[int, int], list[_Result]] = defaultdict(list)
    for version_id, year, org, kind, overall, parts in Measurement.objects.filter(
        latest_in_year=True, year__lt=this_year
    ).values_list(
        "benchmark_version_id",
        "year",
        "organisation_id",
        "organisation__kind",
        "overall_score",
        "part_scores",
    ):
        if overall is not None and org is not None:  # always: counted means comparable
            grouped[(version_id, year)].append(_Result(org, kind, overall, parts))
    versions = {
        v.pk: v for v in ModelVersion.objects.defer("source").filter(pk__in={v for v, _ in grouped})
    }
    threshold = int(settings.IMSCAN_MIN_ORGANISATIONS)
    out: list[dict[str, object]] = []
    for (version_id, year), results in sorted(
        grouped.items(), key=lambda item: (str(versions[item[0][0]]), item[0][1])
    ):
        version = versions[version_id]
        model = engine_model(version)
        units = {
            kind: frozenset(r.organisation_id for r in results if r.kind == kind) for kind in KINDS
        }
        cells = {ALL_TYPES: set(KINDS), **{kind: {kind} for kind in KINDS}}
        shown = publishable(units, cells, threshold)
        for group in (ALL_TYPES, *KINDS):
            members = [r for r in results if group in (ALL_TYPES, r.kind)]
            if not members:
                continue
            for item, title in _items(model):
                out.append(_row(model, version, year, group, item, title, members, group in shown))
    return out


def _row(
    model: MaturityModel,
    version: ModelVersion,
    year: int,
    group: str,
    item: str,
    title: dict[str, str],
    members: list[_Result],
    shown: bool,
) -> dict[str, object]:
    row: dict[str, object] = {
        "model": version.model_id,
        "model_version": version.version,
        "year": year,
        "government_type": group,
        "part": item,
        "part_title_nl": tr(title, "nl"),
        "part_title_en": tr(title, "en"),
        "organisations": None,
        "median_score": None,
        "q1_score": None,
        "q3_score": None,
        "median_level": None,
        "withheld": not shown,
    }
    if shown:
        values = [m.overall if item == OVERALL else m.parts[item] for m in members]
        spread = quartiles(values)
        row |= {
            "organisations": len(values),
            "median_score": round(spread.median, 1),
            "q1_score": round(spread.q1, 1),
            "q3_score": round(spread.q3, 1),
            "median_level": level_for_score(model, spread.median),
        }
    return row


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(value) if isinstance(value, str) else value


def as_csv(found: list[dict[str, object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(NAMES)
    for row in found:
        writer.writerow([_csv_value(row[name]) for name in NAMES])
    return buffer.getvalue().encode("utf-8")


def as_json(found: list[dict[str, object]], about: str) -> bytes:
    """The rows with the columns described in both languages; `about` is the page that
    explains the method."""

    def described(language: str) -> dict[str, str]:
        with translation.override(language):
            return {column.name: str(column.description) for column in COLUMNS}

    document = {
        "title": "IMS Scan: levels per part by type of government and year",
        "generated_at": timezone.now().replace(microsecond=0).isoformat(),
        "threshold": int(settings.IMSCAN_MIN_ORGANISATIONS),
        "periods": "completed calendar years",
        "about": about,
        "columns": [
            {"name": name, "description": {"en": en[name], "nl": nl[name]}}
            for en, nl in [(described("en"), described("nl"))]
            for name in NAMES
        ],
        "rows": found,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
