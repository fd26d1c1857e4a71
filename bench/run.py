"""`make bench`: every benchmark of IMS Scan in one run, as a Markdown report with ratios.

Figures on a shared machine vary from run to run, so each is compared as a ratio to a
ceiling measured in the same run: reads to a bare Django view, writes to a view doing one
durable INSERT, whole scans to the bare view as the peer's anchor is.

    .venv/bin/python bench/run.py [--seconds 10] [--flow-seconds 15] [--clients 16]

Writes the report to bench/results/latest.md and prints it; exits 1 when a check fails
(a non-2xx response, an answer not stored), whatever the figures.
"""

from __future__ import annotations

import argparse
import platform
import signal
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT / "src"))

from api_bench import ApiResult, render_api, run_api  # noqa: E402
from client import BenchError  # noqa: E402
from engine_timing import measure_engine  # noqa: E402
from flows import run_flows  # noqa: E402
from http_bench import bare_view, run_http  # noqa: E402
from insights import from_json as insights_from_json  # noqa: E402
from insights import render as render_insights  # noqa: E402
from queries import count_queries  # noqa: E402
from report import Figures, render  # noqa: E402
from reports import ReportsResult, measure_reports, render_reports  # noqa: E402
from server import gunicorn, prepare_database  # noqa: E402
from team import TeamResult, measure_team, render_team  # noqa: E402

MODEL_PATH = ROOT / "src" / "imscan" / "content" / "models" / "ims-gov.yaml"
RESULTS = BENCH_DIR / "results" / "latest.md"
PARTS = {"engine", "queries", "team", "reports", "flows", "batched", "api", "insights"}
ANSWER_VALUES = ["1", "2", "3", "4", "5", "na"]


def model_pages() -> list[list[str]]:
    """The statement ids of each page: a page is a top-level node (a cluster)."""
    from imscan.engine import load_model_path

    model = load_model_path(MODEL_PATH)

    def ids(node: object) -> list[str]:
        statements = getattr(node, "statements", None)
        if statements:
            return [statement.id for statement in statements]
        return [sid for child in getattr(node, "children", None) or [] for sid in ids(child)]

    return [ids(node) for node in model.top_nodes()]


def on_term(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(f"stopped by signal {signum}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per endpoint")
    parser.add_argument("--flow-seconds", type=float, default=15, help="whole-scan window")
    parser.add_argument("--clients", type=int, default=16, help="whole-scan clients")
    parser.add_argument("--batched-seconds", type=float, default=10, help="batched variant")
    parser.add_argument(
        "--skip",
        default="",
        help=f"comma-separated parts to leave out: {', '.join(sorted(PARTS))}",
    )
    parser.add_argument(
        "--insights-scans", type=int, default=100_000, help="finished scans generated"
    )
    parser.add_argument(
        "--insights-organisations", type=int, default=3_000, help="organisations generated"
    )
    parser.add_argument(
        "--insights-engines", default="sqlite,postgres", help="sqlite, postgres or both"
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    skip = {part.strip() for part in args.skip.split(",") if part.strip()}
    if skip - PARTS:
        parser.error(f"--skip takes {', '.join(sorted(PARTS))}")
    signal.signal(signal.SIGTERM, on_term)  # so the server is stopped on `kill` as well

    started = time.monotonic()
    figures = Figures(
        machine=f"{platform.node()}: {platform.machine()}, Python {platform.python_version()}",
        seconds=args.seconds,
    )
    pages = model_pages()

    def log(text: str) -> None:
        print(f"[bench {time.monotonic() - started:5.1f}s] {text}", flush=True)

    if "engine" not in skip:
        log("engine: timing score() and score_many()")
        figures.engine = measure_engine(MODEL_PATH)

    with tempfile.TemporaryDirectory(prefix="imscan-bench-") as tmp:
        work = Path(tmp)
        if "queries" not in skip:
            log("queries: counting with the test client")
            figures.queries = count_queries(work / "queries.sqlite3", pages)
        team: TeamResult | None = None
        if "team" not in skip:
            # In-process like the query count, on its database (Django is set up once).
            log("team results page: 200 respondents, in-process")
            team = measure_team(work / "queries.sqlite3")
        reports: ReportsResult | None = None
        if "reports" not in skip:
            log("PDF report and exports: in-process")
            reports = measure_reports(work / "queries.sqlite3")

        api: ApiResult | None = None
        log("http: migrating a fresh database and starting gunicorn")
        database = work / "http.sqlite3"
        env = prepare_database(database)
        with gunicorn(env, work / "gunicorn.log") as server:
            figures.versions = server_versions()
            figures.http = run_http(server, work, pages, args.seconds, log)
            if "flows" not in skip:
                log(f"whole scans: {args.clients} clients for {args.flow_seconds:.0f} s")
                figures.flows = run_flows(
                    server, database, pages, ANSWER_VALUES, args.clients, args.flow_seconds
                )
            if "batched" not in skip:
                log(f"whole scans, one save per page: {args.batched_seconds:.0f} s")
                figures.batched = run_flows(
                    server, database, pages, ANSWER_VALUES, args.clients, args.batched_seconds,
                    batched=True,
                )  # fmt: skip
            if figures.flows or figures.batched:
                figures.http.ok_after_flows = bare_view(server, work, args.seconds, log)
            if "api" not in skip:
                statement_ids = [sid for page in pages for sid in page]
                api = run_api(server, work, statement_ids, args.seconds, log)
        log("gunicorn stopped")

    insights: list[str] = []
    if "insights" not in skip:
        insights = run_insights(args)

    figures.total_s = time.monotonic() - started
    text = render(figures)
    for section in (
        render_team(team) if team is not None else [],
        render_reports(reports) if reports is not None else [],
        render_api(api) if api else [],
        insights,
    ):
        if section:
            text = text.rstrip("\n") + "\n\n" + "\n".join(section).rstrip("\n") + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print()
    print(text)
    shown = args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output
    print(f"(written to {shown})")
    return 0


def run_insights(args: argparse.Namespace) -> list[str]:
    """The insights at scale, one process per engine (Django is set up once per process);
    PostgreSQL is skipped, and the report says so, when it cannot be reached."""
    import subprocess

    results, skipped = [], []
    for engine in [e.strip() for e in args.insights_engines.split(",") if e.strip()]:
        print(
            f"[bench] insights on {engine}: {args.insights_scans} scans of "
            f"{args.insights_organisations} organisations (a few minutes)",
            flush=True,
        )
        done = subprocess.run(
            [
                sys.executable,
                str(BENCH_DIR / "insights.py"),
                "--engine",
                engine,
                "--scans",
                str(args.insights_scans),
                "--organisations",
                str(args.insights_organisations),
                "--json",
            ],
            capture_output=True,
            text=True,
            timeout=3600,
            check=False,
        )
        if done.returncode == 0:
            results.append(insights_from_json(done.stdout.strip().splitlines()[-1]))
        elif "is not reachable" in done.stderr:
            reason = done.stderr.strip().splitlines()[-1]
            print(f"[bench] insights on {engine} skipped: {reason}", flush=True)
            skipped.append(f"{engine}: skipped ({reason.removeprefix('BENCH FAILED: ')})")
        else:
            raise BenchError(f"insights on {engine} failed:\n{done.stderr[-3000:]}")
    lines = render_insights(results)
    if skipped:
        lines += ["", *(f"- {line}" for line in skipped), ""]
    return lines


def server_versions() -> str:
    import sqlite3

    import django
    import gunicorn as gunicorn_package

    return (
        f"Django {django.get_version()}, gunicorn {gunicorn_package.__version__}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"\nBENCH FAILED: {error}", file=sys.stderr)
        sys.exit(1)
