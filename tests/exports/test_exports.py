"""CSV and XLSX of a scan's answers and scores: columns, languages, finished respondents
only, formula injection, and the anonymity threshold of guided scans."""

from __future__ import annotations

import pytest

from imscan.reports.exports import (
    ExportUnavailable,
    Table,
    answers_table,
    export_file,
    neutralise,
    scores_table,
    to_csv,
    to_xlsx,
)
from imscan.scans.models import Scan
from tests.factories import OrganisationFactory, respondent_with_token
from tests.reports.teams import guided_scan, model_of, random_answers, uniform

from .helpers import csv_rows, self_scan, xlsx_rows

pytestmark = pytest.mark.django_db


def test_neutralise() -> None:
    for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']:
        assert neutralise(bad) == "'" + bad
    assert neutralise("Gemeente 1") == "Gemeente 1"
    assert neutralise("") == ""


def test_self_scan_answers_csv_in_both_languages(ims_version) -> None:
    scan = self_scan(ims_version)
    model = model_of(ims_version)
    first = model.statements()[0]
    nl = csv_rows(export_file(scan, "answers", "csv", "nl").content)
    # The Dutch headers come with the translations (tests/exports checks the texts only).
    assert len(nl) == 1 + 60
    row = nl[1]
    assert row[0] == "1" and row[1] == "" and row[3] == first.id
    assert row[4] == first.text["nl"]
    assert row[5] == "4" and row[6] == "Vaak van toepassing"
    en = csv_rows(export_file(scan, "answers", "csv", "en").content)
    assert en[0] == ["respondent", "group", "part", "statement id", "statement", "value", "answer"]
    assert en[1][4] == first.text["en"] and en[1][6] == "Often applicable"


def test_dont_know_and_unanswered(ims_version) -> None:
    model = model_of(ims_version)
    ids = [s.id for s in model.statements()]
    scan = Scan.objects.create(model_version=ims_version, kind=Scan.Kind.SELF, language="en")
    respondent_with_token(scan, None, {ids[0]: None, ids[1]: 2.0})
    rows = answers_table(scan, "en").rows
    assert rows[0][5:] == [None, "Don't know"]
    assert rows[1][5:] == [2, "Often not applicable"]
    assert rows[2][5:] == [None, None]  # not answered


def test_only_finished_respondents(ims_version) -> None:
    scan = Scan.objects.create(model_version=ims_version, kind=Scan.Kind.SELF, language="en")
    respondent_with_token(scan, None, uniform(model_of(ims_version), 3.0), finished=False)
    with pytest.raises(ExportUnavailable):
        export_file(scan, "answers", "csv", "en")


def test_no_personal_data(ims_version) -> None:
    model = model_of(ims_version)
    scan, groups = guided_scan(ims_version, {"Staff": [uniform(model, 3.0)] * 3})
    _, token = respondent_with_token(
        scan, groups["Staff"], uniform(model, 2.0), email="secret@example.org"
    )
    for fmt in ("csv", "xlsx"):
        content = export_file(scan, "answers", fmt, "en").content
        assert b"secret@example.org" not in content and token.encode() not in content
    assert {row[0] for row in answers_table(scan, "en").rows} == {1, 2, 3, 4}


def test_scores_self_and_team(ims_version) -> None:
    model = model_of(ims_version)
    scan = self_scan(ims_version, 4.0)
    table = scores_table(scan, "en")
    assert table.header == ["id", "title", "score", "level", "level name"]
    assert len(table.rows) == 1 + len(model.nodes())
    assert table.rows[0][:2] == ["", "overall"]
    assert table.rows[0][2] == 4 and table.rows[0][4] == model.level(table.rows[0][3]).name["en"]
    node = model.nodes()[0]
    assert table.rows[1][:2] == [node.id, node.title["en"]]

    team, _ = guided_scan(ims_version, {"A": [random_answers(model, seed) for seed in range(4)]})
    table = scores_table(team, "en")
    assert table.header[-4:] == ["respondents (n)", "standard deviation", "lowest", "highest"]
    assert table.rows[0][5] == 4
    assert table.rows[1][5] == 4 and table.rows[1][6] is not None


def test_guided_scan_only_when_closed(ims_version) -> None:
    model = model_of(ims_version)
    scan, _ = guided_scan(ims_version, {"A": [uniform(model, 3.0)] * 3}, closed_at=None)
    with pytest.raises(ExportUnavailable, match="closed"):
        export_file(scan, "scores", "csv", "en")


def test_guided_scan_below_threshold_refused(ims_version) -> None:
    model = model_of(ims_version)
    scan, _ = guided_scan(ims_version, {"A": [uniform(model, 3.0)] * 2}, threshold=3)
    with pytest.raises(ExportUnavailable, match="threshold"):
        export_file(scan, "answers", "xlsx", "en")


def test_small_group_not_named(ims_version) -> None:
    model = model_of(ims_version)
    scan, _ = guided_scan(
        ims_version,
        {
            "Management": [uniform(model, 5.0)] * 2,  # below the threshold
            "Staff": [uniform(model, 3.0)] * 3,  # hidden too, to protect management
            "Team leads": [uniform(model, 4.0)] * 4,
        },
        threshold=3,
    )
    rows = answers_table(scan, "en").rows
    groups = {row[0]: row[1] for row in rows}
    assert sorted(groups.values()) == [""] * 5 + ["Team leads"] * 4
    assert "Management" not in {row[1] for row in rows}
    # Shown groups come first, the rest together after them.
    assert [groups[n] for n in sorted(groups)][:4] == ["Team leads"] * 4


def test_group_names_shown_above_threshold(ims_version) -> None:
    model = model_of(ims_version)
    scan, _ = guided_scan(
        ims_version,
        {"A": [uniform(model, 5.0)] * 3, "B": [uniform(model, 3.0)] * 3},
        threshold=3,
    )
    groups = [row[1] for row in answers_table(scan, "en").rows[:: len(model.statements())]]
    assert groups == ["A"] * 3 + ["B"] * 3


def test_formula_injection_in_csv_and_xlsx(ims_version) -> None:
    model = model_of(ims_version)
    scan, _ = guided_scan(
        ims_version,
        {'=HYPERLINK("http://evil")': [uniform(model, 3.0)] * 3, "@cmd": [uniform(model, 4.0)] * 3},
    )
    csv_content = csv_rows(export_file(scan, "answers", "csv", "en").content)
    assert {row[1] for row in csv_content[1:]} == {'\'=HYPERLINK("http://evil")', "'@cmd"}
    xlsx = xlsx_rows(export_file(scan, "answers", "xlsx", "en").content)
    assert {row[1] for row in xlsx[1:]} == {'\'=HYPERLINK("http://evil")', "'@cmd"}
    table = Table.of(["-h"], [["+1", 2, None, "\x01=x"]])
    assert xlsx_rows(to_xlsx(table, "t/?"))[1] == ["'+1", 2, None, "'=x"]
    assert csv_rows(to_csv(table))[1] == ["'+1", "2", "", "\x01=x"]


def test_xlsx_matches_csv(ims_version) -> None:
    model = model_of(ims_version)
    scan, _ = guided_scan(ims_version, {"A": [random_answers(model, s) for s in range(3)]})
    for kind in ("answers", "scores"):
        from_csv = csv_rows(export_file(scan, kind, "csv", "nl").content)
        from_xlsx = xlsx_rows(export_file(scan, kind, "xlsx", "nl").content)
        as_text = [["" if c is None else str(c) for c in row] for row in from_xlsx]
        assert as_text == from_csv


def test_unknown_kind_or_format(ims_version) -> None:
    scan = self_scan(ims_version)
    with pytest.raises(ValueError):
        export_file(scan, "plans", "csv", "en")
    with pytest.raises(ValueError):
        export_file(scan, "answers", "pdf", "en")


def test_file_name_and_type(ims_version) -> None:
    scan = self_scan(ims_version, organisation=OrganisationFactory())
    made = export_file(scan, "scores", "xlsx", "en")
    assert made.filename == f"imscan-{scan.public_id}-scores-en.xlsx"
    assert made.content_type.startswith("application/vnd.openxmlformats")


def test_csv_quotes_like_the_csv_module() -> None:
    tricky = ["a,b", 'say "hi"', "two\nlines", "cr\rhere", " spaced ", "", "plain", 3.25, 7]
    rows = csv_rows(to_csv(Table.of(["h1", "h2"], [[value, value] for value in tricky])))
    expected = ["" if value == "" else str(value) for value in tricky]
    assert [row[0] for row in rows[1:]] == expected
    assert [row[1] for row in rows[1:]] == expected


def test_xlsx_text_numbers_header_and_layout() -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    texts = ['<script>alert("x")</script>', "Tom & Jerry's", "ümlaut ∑", "  kept  ", "=1+1"]
    table = Table.of(
        ["name", "n"],
        [[text, number] for text, number in zip(texts, [1, 2.5, -3, 0, 4], strict=True)],
    )
    workbook = load_workbook(BytesIO(to_xlsx(table, 'Answers "x" & <y>')))
    sheet = workbook.active
    assert sheet.title == 'Answers "x" & <y>'
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["name", "n"]
    assert [row[0] for row in rows[1:]] == [*texts[:4], "'=1+1"]
    assert [row[1] for row in rows[1:]] == [1, 2.5, -3, 0, 4]
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["B"].width


def test_xlsx_empty_cells_keep_their_place() -> None:
    table = Table.of(["a", "b", "c"], [[None, "x", None], ["y", None, 1], [None, None, None]])
    assert xlsx_rows(to_xlsx(table, "t")) == [
        ["a", "b", "c"],
        [None, "x", None],
        ["y", None, 1],
        [None, None, None],
    ]


def test_equal_numbers_are_written_alike() -> None:
    """1 and 1.0 are one value to the writers' caches: both are written as 1."""
    table = Table.of(["a", "b"], [[1, "x"], [1.0, "x"], [2.5, 1.0]])
    assert csv_rows(to_csv(table))[1:] == [["1", "x"], ["1", "x"], ["2.5", "1"]]
    assert xlsx_rows(to_xlsx(table, "t"))[1:] == [[1, "x"], [1, "x"], [2.5, 1]]
