"""What the API operations return, built from the domain's selectors and presenters (the
same ones the web pages use), as plain data matching `schemas`."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from imscan.catalog.models import ModelVersion
from imscan.engine import MaturityModel, Node, TeamReport, tr
from imscan.organisations.models import Organisation
from imscan.organisations.presenters import scan_status
from imscan.permissions import roles
from imscan.reports import selectors as report_selectors
from imscan.reports import team
from imscan.scans.access import ScanAccess
from imscan.scans.guided_selectors import ScanProgress, opening_state
from imscan.scans.models import Scan
from imscan.scans.selectors import scan_pages

# ---- models ----


def model_version(version: ModelVersion, model: MaturityModel, latest: bool) -> dict[str, Any]:
    return {
        "model_id": version.model_id,
        "version": version.version,
        "title": dict(model.title),
        "languages": list(model.languages),
        "method": model.scoring.method,
        "statements": model.statement_total,
        "content_hash": version.content_hash,
        "published_at": version.created_at,
        "latest": latest,
    }


def _node(node: Node, lang: str) -> dict[str, Any]:
    return {
        "id": node.id,
        "title": tr(node.title, lang),
        "description": tr(node.description, lang) if node.description else None,
        "weight": node.weight,
        "advice": [
            {
                "level": level,
                "text": tr(advice.text, lang),
                "links": [
                    {"title": tr(link.title, lang), "url": link.url} for link in advice.links
                ],
            }
            for level, advice in sorted(node.advice.items())
        ],
        "children": [_node(child, lang) for child in node.children]
        if node.children is not None
        else None,
        "statements": [
            {
                "id": statement.id,
                "scale": statement.scale,
                "text": tr(statement.text, lang),
                "info": tr(statement.info, lang),
                "weight": statement.weight,
                "level": statement.level,
            }
            for statement in node.statements
        ]
        if node.statements is not None
        else None,
    }


def model_definition(version: ModelVersion, model: MaturityModel, lang: str) -> dict[str, Any]:
    """The whole model with every text in `lang` (one of the model's languages)."""
    scoring = model.scoring
    return {
        "model_id": version.model_id,
        "version": version.version,
        "language": lang,
        "languages": list(model.languages),
        "title": tr(model.title, lang),
        "description": tr(model.description, lang) if model.description else None,
        "content_hash": version.content_hash,
        "published_at": version.created_at,
        "scales": [
            {
                "id": scale_id,
                "options": [
                    {
                        "value": option.value,
                        "not_applicable": option.not_applicable,
                        "label": tr(option.label, lang),
                    }
                    for option in scale.options
                ],
            }
            for scale_id, scale in model.scales.items()
        ],
        "levels": [
            {
                "level": level.level,
                "name": tr(level.name, lang),
                "description": tr(level.description, lang),
                "lead_time_months": (
                    {"min": level.lead_time_months.min, "max": level.lead_time_months.max}
                    if level.lead_time_months is not None
                    else None
                ),
            }
            for level in model.levels
        ],
        "scoring": {
            "method": scoring.method,
            "bands": [{"level": band.level, "from_score": band.from_} for band in scoring.bands]
            if scoring.bands is not None
            else None,
            "pass_from": scoring.pass_from,
        },
        "dimensions": [_node(node, lang) for node in model.top_nodes()],
    }


# ---- a respondent's scan ----


def respondent(access: ScanAccess, answers: dict[str, float | None]) -> dict[str, Any]:
    person, model = access.respondent, access.model
    scan = person.scan
    return {
        "scan": {
            "id": scan.public_id,
            "kind": scan.kind,
            "title": scan.title,
            "language": scan.language,
            "model": {"id": model.id, "version": model.version},
            "state": opening_state(scan).value,
            "opens_at": scan.opens_at,
            "closes_at": scan.closes_at,
        },
        "finished": person.is_finished,
        "finished_at": person.finished_at,
        "answered": sum(1 for sid in answers if sid in model.statement_ids),
        "total": model.statement_total,
        "pages": [
            {
                "number": page.number,
                "node_id": page.node_id,
                "statement_ids": list(page.statement_ids),
            }
            for page in scan_pages(model)
        ],
    }


def answers(model: MaturityModel, given: dict[str, float | None]) -> dict[str, Any]:
    # In model order; an answer to a statement the model no longer has is not shown.
    shown = {s.id: given[s.id] for s in model.statements() if s.id in given}
    return {"answers": shown, "answered": len(shown), "total": model.statement_total}


# ---- organisations and their scans ----


def organisation(organisation: Organisation, user: Any) -> dict[str, Any]:
    return {
        "id": organisation.public_id,
        "name": organisation.name,
        "kind": organisation.kind,
        "size": organisation.size,
        "country": organisation.country,
        "roles": sorted(role.value for role in roles(user, organisation)),
    }


def scan(scan: Scan) -> dict[str, Any]:
    """A scan of `organisations.selectors.organisation_scans` (with respondent counts)."""
    status, _label = scan_status(scan, timezone.now())
    version = scan.model_version
    return {
        "id": scan.public_id,
        "kind": scan.kind,
        "title": scan.title,
        "language": scan.language,
        "model": {"id": version.model_id, "version": version.version},
        "status": status,
        "created_at": scan.created_at,
        "opens_at": scan.opens_at,
        "closes_at": scan.closes_at,
        "closed_at": scan.closed_at,
        "anonymity_threshold": scan.anonymity_threshold,
        "respondents": getattr(scan, "respondent_count", 0),
        "finished": getattr(scan, "finished_count", 0),
    }


def progress(scan: Scan, progress: ScanProgress) -> dict[str, Any]:
    return {
        "scan": scan.public_id,
        "joined": progress.joined,
        "started": progress.started,
        "finished": progress.finished,
        "percent_finished": progress.percent_finished,
        "groups": [
            {
                "name": group.group.name,
                "joined": group.joined,
                "invited": group.invited,
                "via_link": group.via_link,
                "started": group.started,
                "finished": group.finished,
                "has_link": group.has_link,
                "link_cap": group.group.link_cap,
                "link_full": group.link_full,
            }
            for group in progress.groups
        ],
    }


def respondent_rows(progress: ScanProgress) -> list[dict[str, Any]]:
    """The invited respondents' status, as the scan's page lists it: never an answer."""
    return [
        {
            "email": row.email,
            "group": row.group_name or None,
            "status": row.status.value,
            "invited_at": row.invited_at,
            "reminded_at": row.reminded_at,
        }
        for row in progress.respondents
    ]


def _agenda(report: TeamReport) -> list[dict[str, Any]]:
    return [
        {
            "statement_id": item.item_id,
            "answered": item.answered,
            "dont_know": item.dont_know,
            "unanswered": item.unanswered,
            "mean": item.mean,
            "sd": item.sd,
            "counts": [
                {"value": value, "count": count}
                for value, count in zip(item.values, item.counts, strict=True)
            ],
        }
        for item in report.agenda
    ]


def team_result(scan: Scan) -> dict[str, Any]:
    """The team result with the anonymity rules of the team results page: the same report
    (`scan_team_report`) and the same decision what to show (`team.team_overview`)."""
    state = report_selectors.scan_state(scan)
    _model, report = report_selectors.scan_team_report(scan, state)
    overview = team.team_overview(scan, state, report)

    def name(key: str) -> str | None:
        return None if key == report_selectors.NO_GROUP else overview.names[key]

    shown = overview.figures_shown and report.team is not None
    return {
        "scan": scan.public_id,
        "kind": scan.kind,
        "final": overview.final,
        "closed_on": overview.closed_on,
        "threshold": report.threshold,
        "finished": report.respondents,
        "total": state.total,
        "figures_shown": shown,
        "groups": [
            {
                "name": name(row.key),
                "finished": row.finished,
                "total": row.total,
                "status": row.status,
            }
            for row in overview.group_rows
        ],
        "result": report.team.to_json() if shown and report.team is not None else None,
        "group_results": [
            {"name": name(key), "result": result.to_json()} for key, result in report.groups.items()
        ]
        if shown and overview.compared
        else [],
        "agenda": _agenda(report) if shown else [],
    }
