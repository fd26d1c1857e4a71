"""The development plan in the PDF report, self-scan and team scan, Dutch and English; the
report's cache follows the plan."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest

from imscan.plans.models import PlanAction
from imscan.plans.services import ActionFields, plan_action_add, plan_action_status
from imscan.reports import pdf
from imscan.reports.exports import export_file
from tests.pdf.test_pdf import flat, pdf_text
from tests.reports.teams import model_of

from .helpers import first_points, plan_for, self_scan, team_scan

pytestmark = pytest.mark.django_db
HEADING = {"nl": "Ontwikkelplan", "en": "Development plan"}
STATUS = {"nl": "Status: bezig", "en": "Status: in progress"}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("kind", ["self", "team"])
def test_the_plan_is_in_the_report(ims_version, kind: str, lang: str) -> None:
    scan = team_scan(ims_version) if kind == "team" else self_scan(ims_version)[0]
    model = model_of(ims_version)
    first, second = first_points(model, scan, 2)
    plan = plan_for(scan, [first, second])
    plan_action_add(
        plan=plan,
        fields=ActionFields(
            what="<b>Write</b> the innovation goals & agree them",
            owner="Anna de Vries",
            due_date=datetime.date(2030, 3, 1),
            status=PlanAction.Status.IN_PROGRESS,
            part_id=first,
        ),
    )
    text = pdf_text(export_file(scan, "report", "pdf", lang).content)
    assert HEADING[lang] in text
    assert (
        flat(model.node(first).title[lang]) in text and flat(model.node(second).title[lang]) in text
    )
    assert "<b>Write</b> the innovation goals & agree them" in text  # as text, not markup
    assert "Anna de Vries" in text and STATUS[lang] in text
    assert ("1 maart 2030" if lang == "nl" else "1 March 2030") in text


def test_no_plan_section_without_a_plan(ims_version) -> None:
    scan, _ = self_scan(ims_version)
    text = pdf_text(export_file(scan, "report", "pdf", "en").content)
    assert "Development plan" not in text


def test_the_cached_report_follows_the_plan(ims_version) -> None:
    scan = team_scan(ims_version)
    plan = plan_for(scan)
    counter = mock.Mock(side_effect=lambda html, base_url: b"%PDF-" + html.encode())
    with mock.patch.object(pdf, "render_pdf", counter):
        first = pdf.report_pdf(scan, "en")
        assert pdf.report_pdf(scan, "en") == first and counter.call_count == 1
        action = plan_action_add(plan=plan, fields=ActionFields(what="A new step"))
        assert b"A new step" in pdf.report_pdf(scan, "en") and counter.call_count == 2
        plan_action_status(action=action, status=PlanAction.Status.DONE)
        pdf.report_pdf(scan, "en")
        assert counter.call_count == 3

        single, _ = self_scan(ims_version)
        pdf.report_pdf(single, "en")
        plan_for(single)
        pdf.report_pdf(single, "en")
        assert counter.call_count == 5
