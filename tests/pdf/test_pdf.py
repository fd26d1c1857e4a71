"""The PDF report (imscan.reports.pdf): what it says in both languages, its cache, the
download and the command. A PDF takes about a second, so the tests are few."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from unittest import mock

import pytest
from django.test import Client

from imscan.engine import MaturityModel, ScoreResult, score, team_report, tr
from imscan.reports import pdf, presenters, selectors
from imscan.reports.exports import ExportUnavailable, export_file
from imscan.scans.models import Scan
from tests.exports.helpers import run
from tests.factories import respondent_with_token
from tests.reports.teams import guided_scan, member, model_of, random_answers

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The PDF's text with whitespace collapsed (pdftotext, from poppler-utils)."""
    program = shutil.which("pdftotext")
    if program is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(
        [program, "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode().split())


def flat(text: str) -> str:
    return " ".join(text.split())


def assert_report(content: bytes, model: MaturityModel, result: ScoreResult, lang: str) -> None:
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert result.overall.level is not None
    assert flat(tr(model.level(result.overall.level).name, lang)) in text
    for part in model.parts():
        assert flat(tr(part.title, lang)) in text
    points = presenters.development_points(model, result, lang)
    assert points and points[0].advice
    assert flat(points[0].advice) in text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_self_scan_report(ims_version, lang: str) -> None:
    model = model_of(ims_version)
    answers = random_answers(model, 7)
    scan = Scan.objects.create(model_version=ims_version, kind=Scan.Kind.SELF, language="nl")
    respondent_with_token(scan, None, answers)
    made = export_file(scan, "report", "pdf", lang)
    assert made.content_type == "application/pdf"
    assert made.filename == f"imscan-{scan.public_id}-report-{lang}.pdf"
    assert_report(made.content, model, score(model, answers), lang)
    text = pdf_text(made.content)
    first = model.statements()[0]
    assert flat(tr(first.text, lang)) in text  # the appendix
    assert ("Zelfscan" if lang == "nl" else "Self-scan") in text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_team_report(ims_version, lang: str) -> None:
    model = model_of(ims_version)
    scan, _ = guided_scan(
        ims_version,
        {
            "Board": [random_answers(model, seed) for seed in range(3)],
            "Staff": [random_answers(model, seed) for seed in range(10, 13)],
        },
    )
    report = team_report(model, selectors.finished_answers(scan), threshold=scan.result_threshold)
    assert report.team is not None
    content = export_file(scan, "report", "pdf", lang).content
    assert_report(content, model, report.team, lang)
    text = pdf_text(content)
    assert "Board" in text and "Staff" in text  # the group comparison
    assert report.agenda and flat(tr(model.statement(report.agenda[0].item_id).text, lang)) in text


def test_cached_until_the_scan_changes(ims_version) -> None:
    model = model_of(ims_version)
    scan, groups = guided_scan(ims_version, {"A": [random_answers(model, s) for s in range(3)]})
    counter = mock.Mock(side_effect=lambda html, base_url: b"%PDF-" + str(len(html)).encode())
    with mock.patch.object(pdf, "render_pdf", counter):
        first = pdf.team_pdf(scan, "en")
        assert pdf.team_pdf(scan, "en") == first
        assert counter.call_count == 1
        pdf.team_pdf(scan, "nl")
        assert counter.call_count == 2
        respondent_with_token(scan, groups["A"], random_answers(model, 9))
        pdf.team_pdf(scan, "en")
        assert counter.call_count == 3

        self_scan = Scan.objects.create(model_version=ims_version, kind=Scan.Kind.SELF)
        respondent_with_token(self_scan, None, random_answers(model, 1))
        assert pdf.report_pdf(self_scan, "en") == pdf.report_pdf(self_scan, "en")
        assert counter.call_count == 4


def test_same_rules_as_the_other_exports(ims_version, client: Client) -> None:
    model = model_of(ims_version)
    open_scan, _ = guided_scan(
        ims_version, {"A": [random_answers(model, s) for s in range(3)]}, closed_at=None
    )
    with pytest.raises(ExportUnavailable, match="once it is closed"):
        export_file(open_scan, "report", "pdf", "en")
    small, _ = guided_scan(ims_version, {"A": [random_answers(model, 1)] * 2})
    with pytest.raises(ExportUnavailable, match="anonymity threshold"):
        export_file(small, "report", "pdf", "en")
    member(client, open_scan.organisation)
    url = f"/en/scans/{open_scan.public_id}/export/report.pdf"
    assert client.get(url).status_code == 409
    for wrong in ["report.csv", "answers.pdf"]:
        assert client.get(f"/en/scans/{open_scan.public_id}/export/{wrong}").status_code == 404

    self_scan = Scan.objects.create(model_version=ims_version, kind=Scan.Kind.SELF)
    _, token = respondent_with_token(self_scan, None, random_answers(model, 2))
    with mock.patch.object(pdf, "render_pdf", return_value=b"%PDF-stub"):
        response = client.get(f"/nl/scan/{token}/export/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-stub"


def test_command_writes_the_pdf(ims_version, tmp_path: Path) -> None:
    model = model_of(ims_version)
    scan = Scan.objects.create(model_version=ims_version, kind=Scan.Kind.SELF, language="en")
    respondent_with_token(scan, None, random_answers(model, 3))
    out = tmp_path / "report.pdf"
    code, stdout, err = run("export", str(scan.public_id), "--format", "pdf", "--output", str(out))
    assert (code, err) == (0, "") and "Written" in stdout
    assert out.read_bytes().startswith(b"%PDF")
    assert "Self-scan" in pdf_text(out.read_bytes())
