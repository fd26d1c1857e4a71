"""The PDF report and the CSV/XLSX exports, in-process.

PDF: importing WeasyPrint (once per process); a self-scan and a guided scan with 200
finished respondents, each rendered for the first time, warm without the cache (the cache
is cleared before each render), and from the cache. The yardstick, rendered in the same run:
one A4 page holding the results page's radar chart, the anchor of the project's
performance notes (about 200 ms warm there).

Exports: the answers of 200 and 1,000 respondents x 60 statements as CSV and as XLSX, and
the scores. The yardstick: the one query that fetches those answers, as the export does,
so the ratio says how much the writing adds to reading the rows.

Each file is checked (PDF text, CSV rows, the XLSX read back with openpyxl), so a fast
but wrong export fails the run.

    .venv/bin/python bench/reports.py      # on its own; `make bench` runs it too
"""

from __future__ import annotations

import csv
import io
import re
import statistics
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent / "src"))
sys.path.insert(0, str(BENCH_DIR))

from client import BenchError  # noqa: E402
from fixtures import Builder, setup_django  # noqa: E402

TEAM = 200
LARGE = 1000
PDF_RUNS = 5
CACHED_RUNS = 50
EXPORT_RUNS = 5
STATEMENTS = 60
PDF_WARM_TARGET_MS = 400.0
PDF_CACHED_TARGET_MS = 50.0
EXPORT_TARGET_MS = 500.0


@dataclass
class PdfFigures:
    case: str
    first_ms: float  # the first render of this report in the process, uncached
    warm_ms: float  # median, uncached
    cached_ms: float  # median
    pages: int
    size: int


@dataclass
class ExportFigures:
    respondents: int
    query_ms: float  # the answers query alone
    ms: dict[str, float] = field(default_factory=dict)  # "answers csv" -> median
    sizes: dict[str, int] = field(default_factory=dict)


@dataclass
class ReportsResult:
    anchor_ms: float  # one A4 page with the radar, warm
    import_ms: float  # importing WeasyPrint, once per process
    pdfs: list[PdfFigures]
    exports: list[ExportFigures]
    imported_before: bool  # WeasyPrint was already imported: no first-render figure


def check(condition: bool, message: str) -> None:
    if not condition:
        raise BenchError(f"reports: {message}")


def median_ms(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        begun = time.perf_counter()
        run()
        times.append(time.perf_counter() - begun)
    return statistics.median(times) * 1000


def pdf_objects(content: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated."""
    parts = [content]
    for match in re.finditer(rb"stream\r?\n", content):
        try:
            parts.append(zlib.decompressobj().decompress(content[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def pdf_pages(objects: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", objects))


def measure_reports(database: Path) -> ReportsResult:
    imported_before = "weasyprint" in sys.modules
    setup_django(database)
    from django.core.cache import cache
    from django.db import connection

    from imscan.reports import pdf
    from imscan.reports.exports import export_file

    build = Builder(seed=4)
    self_scan, _ = build.self_scan()
    team = build.guided(TEAM)

    def uncached(scan: Any) -> Callable[[], bytes]:
        def run() -> bytes:
            cache.clear()
            return pdf.report_pdf(scan, "nl")

        return run

    begun = time.perf_counter()
    import weasyprint  # noqa: F401 (what the first PDF of a process waits for)

    import_ms = (time.perf_counter() - begun) * 1000
    anchor = one_page_html(build)
    pdf.render_pdf(anchor, pdf._base_url())

    def anchor_ms() -> float:
        return median_ms(lambda: pdf.render_pdf(anchor, pdf._base_url()), PDF_RUNS)

    anchor_before = anchor_ms()
    pdfs = []
    for case, scan in (("self-scan", self_scan), (f"team scan, {TEAM} respondents", team)):
        begun = time.perf_counter()
        content = uncached(scan)()
        first_ms = (time.perf_counter() - begun) * 1000
        check(content.startswith(b"%PDF"), f"{case}: not a PDF")
        objects = pdf_objects(content)
        check(b"/StructTreeRoot" in objects, f"{case}: not tagged")
        warm_ms = median_ms(uncached(scan), PDF_RUNS)
        pdf.report_pdf(scan, "nl")
        cached_ms = median_ms(lambda scan=scan: pdf.report_pdf(scan, "nl"), CACHED_RUNS)
        pdfs.append(
            PdfFigures(case, first_ms, warm_ms, cached_ms, pdf_pages(objects), len(content))
        )

    # The machine drifts: the yardstick is the mean of a run before and one after.
    one_page_ms = (anchor_before + anchor_ms()) / 2

    exports = [export_figures(build, team, TEAM, export_file, connection)]
    exports.append(export_figures(build, build.guided(LARGE), LARGE, export_file, connection))
    return ReportsResult(one_page_ms, import_ms, pdfs, exports, imported_before)


def one_page_html(build: Builder) -> str:
    """One A4 page with the radar chart of a result, in the report's stylesheet."""
    from imscan.engine import score
    from imscan.reports import pdf, presenters

    answers = {s.id: float(1 + i % 5) for i, s in enumerate(build.model.statements())}
    context = presenters.results(build.model, score(build.model, answers), "nl")
    return (
        f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Radar</title>'
        f"<style>{pdf._print_css()}</style></head><body><h1>Radar</h1>"
        f'<figure class="chart">{pdf._radar_svg(context)}</figure></body></html>'
    )


def export_figures(
    build: Builder, scan: Any, respondents: int, export_file: Any, connection: Any
) -> ExportFigures:
    from imscan.scans.models import Respondent

    def query() -> int:
        rows = Respondent.objects.filter(scan=scan, finished_at__isnull=False).values_list(
            "id", "group_id", "answers__statement_id", "answers__value"
        )
        return len(list(rows.order_by()))

    check(query() == respondents * STATEMENTS, "the answers are not all there")
    figures = ExportFigures(respondents, median_ms(query, EXPORT_RUNS))
    for kind in ("answers", "scores"):
        for fmt in ("csv", "xlsx"):
            made = export_file(scan, kind, fmt, "nl")
            check_export(made.content, kind, fmt, respondents)
            name = f"{kind} {fmt}"
            figures.sizes[name] = len(made.content)
            figures.ms[name] = median_ms(
                lambda k=kind, f=fmt: export_file(scan, k, f, "nl"), EXPORT_RUNS
            )
    return figures


def check_export(content: bytes, kind: str, fmt: str, respondents: int) -> None:
    rows: list[list[Any]]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content), read_only=True).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    expected = 1 + respondents * STATEMENTS if kind == "answers" else 1 + 1 + 17
    check(len(rows) == expected, f"{kind} {fmt}: {len(rows)} rows, expected {expected}")
    if kind == "answers":
        last = rows[-1]
        check(str(last[0]) == str(respondents), f"{kind} {fmt}: last row {last}")


def met(value: float, target: float) -> str:
    return "met" if value < target else "**NOT MET**"


def render_reports(result: ReportsResult) -> list[str]:
    """The report's section on the PDF and the exports, in Markdown."""
    anchor = result.anchor_ms
    lines = [
        "## PDF report and exports",
        "",
        "In-process. PDF: importing WeasyPrint (once per process, before the first PDF), "
        "the first render of each report (templates loaded), then the "
        f"median of {PDF_RUNS} renders with the cache cleared before each (warm), and of "
        f"{CACHED_RUNS} from the cache. The yardstick is one A4 page with the radar chart, "
        f"warm, measured before and after the reports (their mean): **{anchor:.0f} ms**.",
        "",
        "| figure | measured | ratio | target | |",
        "|---|---|---|---|---|",
    ]
    if result.imported_before:
        lines.append("| importing WeasyPrint | (imported before this part ran) | | | |")
    else:
        lines.append(
            f"| importing WeasyPrint | {result.import_ms:.0f} ms | "
            f"{result.import_ms / anchor:.1f}x the one-page PDF | | |"
        )
    for figures in result.pdfs:
        lines += [
            f"| PDF, {figures.case} ({figures.pages} pages, {figures.size / 1024:.0f} KB), "
            f"first render | {figures.first_ms:.0f} ms | "
            f"{figures.first_ms / anchor:.1f}x the one-page PDF | | |",
            f"| PDF, {figures.case}, warm | {figures.warm_ms:.0f} ms | "
            f"{figures.warm_ms / anchor:.1f}x | < {PDF_WARM_TARGET_MS:.0f} ms | "
            f"{met(figures.warm_ms, PDF_WARM_TARGET_MS)} |",
            f"| PDF, {figures.case}, cached | {figures.cached_ms:.1f} ms | "
            f"{figures.cached_ms / anchor:.3f}x | < {PDF_CACHED_TARGET_MS:.0f} ms | "
            f"{met(figures.cached_ms, PDF_CACHED_TARGET_MS)} |",
        ]
    lines += [
        "",
        f"Exports: the median of {EXPORT_RUNS} runs of `export_file` (query, table, file), "
        "compared with the answers query alone (the rows the export reads).",
        "",
        "| figure | measured | ratio | target | |",
        "|---|---|---|---|---|",
    ]
    for figures in result.exports:
        size = f"{figures.respondents:,} x {STATEMENTS}"
        lines.append(f"| answers query alone, {size} | {figures.query_ms:.0f} ms | floor | | |")
        for name, ms in figures.ms.items():
            target = (
                f"< {EXPORT_TARGET_MS:.0f} ms"
                if figures.respondents == LARGE and name.startswith("answers")
                else ""
            )
            verdict = met(ms, EXPORT_TARGET_MS) if target else ""
            lines.append(
                f"| {name}, {size} ({figures.sizes[name] / 1024:.0f} KB) | {ms:.0f} ms | "
                f"{ms / figures.query_ms:.1f}x the query | {target} | {verdict} |"
            )
    return [*lines, ""]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="imscan-reports-") as tmp:
        result = measure_reports(Path(tmp) / "reports.sqlite3")
    print("\n".join(render_reports(result)))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"\nBENCH FAILED: {error}", file=sys.stderr)
        sys.exit(1)
