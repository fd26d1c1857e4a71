"""The insights at scale: the benchmark panel and the programme dashboard over a large
synthetic population (bench/insights_data.py), on SQLite or on PostgreSQL.

    .venv/bin/python bench/insights.py --engine sqlite [--scans 100000] [--organisations 3000]
    .venv/bin/python bench/insights.py --engine postgres      # needs the server at 127.0.0.1

Generates the population on a database of its own (a temporary SQLite file, or a
PostgreSQL database `imscan_bench_insights_<pid>` that is dropped afterwards), then calls
the WSGI application in-process, as gunicorn would (see profile_views.py), and times, as
the median of several batches:

- the bare view (`/bench/ok/`), the yardstick of the ratios;
- a results page with its benchmark panel, the benchmark cached (as every view but the
  first after a change) and just after a change (the cache's key moved: the benchmark is
  computed again from the organisations' stored measurements);
- the benchmark selector alone (`insights.benchmark.peers`), uncached;
- the programme dashboard of the last whole year and its CSV download, computed (the
  cache cleared before each request) and from the cache (as within its minute);
- the open-data JSON.

It counts each request's SQL queries, checks that the pages show what they should, and
prints a Markdown section, or JSON with --json (bench/run.py runs one per engine).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent / "src"))
sys.path.insert(0, str(BENCH_DIR))

from client import BenchError  # noqa: E402
from insights_data import generate, setup  # noqa: E402
from profile_views import call, environ, session_cookie  # noqa: E402

POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
BATCHES = 7
AIMS = {  # the issue's aims, for the requests they are about
    "results page with benchmark panel (benchmark cached)": "< 100 ms",
    "results page with benchmark panel, just after a change": "< 100 ms",
    "programme dashboard, last whole year": "< 300 ms",
}


@dataclass
class Timing:
    name: str
    ms: float  # wall-clock time
    queries: int
    per_batch: int
    cpu_ms: float = 0.0  # this process's CPU time: what other processes cannot inflate


@dataclass
class InsightsResult:
    engine: str
    generated: dict[str, Any]
    timings: list[Timing] = field(default_factory=list)
    sql: dict[str, list[str]] = field(default_factory=dict)
    note: str = ""

    def ms(self, name: str) -> float:
        return next(t.ms for t in self.timings if t.name == name)


def check(condition: bool, message: str) -> None:
    if not condition:
        raise BenchError(f"insights: {message}")


@contextlib.contextmanager
def database(engine: str, tmp: Path) -> Iterator[str]:
    """A fresh database for the run: its URL; a PostgreSQL one is dropped afterwards."""
    if engine == "sqlite":
        yield f"sqlite:///{tmp / 'insights.sqlite3'}"
        return
    import psycopg

    name = f"imscan_bench_insights_{os.getpid()}"
    try:
        admin = psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        raise BenchError(f"PostgreSQL is not reachable at {POSTGRES_SERVER}: {error}") from error
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def measure(
    engine: str, scans: int, organisations: int, log: Callable[[str], None]
) -> InsightsResult:
    """Generate a population on a database of its own, and measure."""
    with (
        tempfile.TemporaryDirectory(prefix="imscan-insights-") as tmp,
        database(engine, Path(tmp)) as url,
    ):
        os.environ.update(IMSCAN_BENCH_VIEWS="1", DEBUG="false", IMSCAN_VAR_DIR=tmp)
        (Path(tmp) / "static").mkdir()
        setup(url)
        log(f"{engine}: generating {scans} finished scans of {organisations} organisations")
        generated = generate(scans=scans, organisations=organisations, seed=56002, log=log)
        return _measure(engine, asdict(generated), log)


def measure_existing(url: str, log: Callable[[str], None]) -> InsightsResult:
    """Measure again on a population made earlier by insights_data.py (no generating)."""
    with tempfile.TemporaryDirectory(prefix="imscan-insights-") as tmp:
        os.environ.update(IMSCAN_BENCH_VIEWS="1", DEBUG="false", IMSCAN_VAR_DIR=tmp)
        (Path(tmp) / "static").mkdir()
        setup(url)
        from imscan.insights.models import Measurement
        from imscan.organisations.models import Organisation
        from imscan.scans.models import Answer, Respondent, Scan

        finished = Measurement.objects.count()
        existing = {
            "organisations": Organisation.objects.count(),
            "scans": finished,
            "unfinished": Scan.objects.count() - finished,
            "respondents": Respondent.objects.count(),
            "answers": Answer.objects.count(),
            "measurements": finished,
            "insert_s": 0.0,
            "backfill_s": 0.0,
        }
        engine = "postgres" if url.startswith("postgres") else "sqlite"
        return _measure(engine, existing, log)


def _measure(engine: str, generated: dict[str, Any], log: Callable[[str], None]) -> InsightsResult:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import (
        get_user_model,
    )
    from django.core.cache import cache
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from imscan.insights.benchmark import peers
    from imscan.insights.models import Measurement
    from imscan.insights.recording import peers_changed
    from imscan.scans.models import Respondent
    from imscan.scans.tokens import new_token, token_hash

    result = InsightsResult(engine=engine, generated=generated)
    app = WSGIHandler()
    staff, created = get_user_model().objects.get_or_create(
        username="bench-staff", defaults={"email": "staff@example.org", "is_staff": True}
    )
    if created:
        TOTP.activate(staff, generate_totp_secret())
    cookie = session_cookie(staff)
    # A self-scan of an organisation, counted, with its own private link.
    own = Measurement.objects.filter(scan_kind="self", counted=True).select_related("scan").first()
    check(own is not None, "no counted self-scan in the population")
    token = new_token()
    Respondent.objects.filter(scan=own.scan).update(token_hash=token_hash(token))
    year = timezone.localdate().year - 1

    def get(path: str, query: str = "", *, as_staff: bool = False) -> Callable[[], bytes]:
        def request() -> bytes:
            env = environ("GET", path, cookie=cookie) if as_staff else environ("GET", path)
            env["QUERY_STRING"] = query
            status, _, body = call(app, env)
            check(status.startswith("200"), f"GET {path}?{query}: {status} {body[:300]!r}")
            return body

        return request

    def timed(
        name: str,
        run: Callable[[], Any],
        *,
        per_batch: int,
        before: Callable[[], None] | None = None,
    ) -> None:
        for _ in range(2):
            run()  # warm: the parsed models, the templates, the connection
        batches, cpu = [], []
        for _ in range(BATCHES):
            spent = used = 0.0
            for _ in range(per_batch):
                if before is not None:
                    before()
                begun, begun_cpu = time.perf_counter(), time.process_time()
                run()
                spent += time.perf_counter() - begun
                used += time.process_time() - begun_cpu
            batches.append(spent / per_batch)
            cpu.append(used / per_batch)
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as captured:
            run()
        result.timings.append(
            Timing(
                name,
                statistics.median(batches) * 1000,
                len(captured),
                per_batch,
                statistics.median(cpu) * 1000,
            )
        )
        result.sql[name] = [q["sql"] for q in captured.captured_queries]
        log(f"{engine}: {name}: {result.timings[-1].ms:.1f} ms, {len(captured)} queries")

    results_page = get(f"/nl/scan/{token}/results/")
    page = results_page()
    check(b'id="benchmark"' in page and b"imscan-range-chart" in page, "no benchmark panel")
    check(b'imscan-range-chart__box"' in page, "the benchmark shows no group of organisations")
    dashboard = get("/nl/staff/insights/", f"year={year}", as_staff=True)
    board = dashboard()
    check(b'id="levels"' in board and b"imscan-range-chart" in board, "no dashboard figures")

    timed("bare view", get("/bench/ok/"), per_batch=50)
    timed("results page with benchmark panel (benchmark cached)", results_page, per_batch=20)
    timed(
        "results page with benchmark panel, just after a change",
        results_page,
        per_batch=5,
        before=peers_changed,
    )

    def selector() -> None:
        cache.clear()
        peers(own.benchmark_version).group(own.organisation.kind)

    timed("benchmark selector, uncached", selector, per_batch=5)
    timed("programme dashboard, last whole year", dashboard, per_batch=3, before=cache.clear)
    timed("programme dashboard, cached (within its minute)", dashboard, per_batch=10)
    timed(
        "programme dashboard, CSV",
        get("/nl/staff/insights/dashboard.csv", f"year={year}", as_staff=True),
        per_batch=3,
        before=cache.clear,
    )
    timed("open data, JSON", get("/nl/open-data/levels.json"), per_batch=3)
    timed("bare view, again", get("/bench/ok/"), per_batch=50)
    return result


def render(results: list[InsightsResult]) -> list[str]:
    """The report's section on the insights, in Markdown."""
    if not results:
        return []
    first = results[0].generated
    lines = [
        "## Insights at scale: benchmark panel and programme dashboard",
        "",
        f"In-process (the WSGI application called directly), on a generated population of "
        f"{first['scans']:,} finished scans of {first['organisations']:,} organisations "
        f"({first['respondents']:,} respondents, {first['answers']:,} answers, "
        f"{first['unfinished']:,} unfinished anonymous self-scans). Median of {BATCHES} batches. "
        "The ratio divides by the mean of the two bare-view runs of the same engine.",
        "",
    ]
    for result in results:
        bare = (result.ms("bare view") + result.ms("bare view, again")) / 2
        generated = result.generated
        made = (
            f"Generated in {generated['insert_s']:.0f} s (bulk insert) + "
            f"{generated['backfill_s']:.0f} s (the app's backfill of "
            f"{generated['measurements']:,} measurements)."
            if generated["insert_s"]
            else "On a population generated earlier (--database-url)."
        )
        lines += [
            f"### {result.engine}",
            "",
            made,
            "",
            "| request | ms | x bare view | CPU ms (this process) | SQL queries | aim |",
            "|---|---|---|---|---|---|",
        ]
        for timing in result.timings:
            aim = AIMS.get(timing.name, "")
            lines.append(
                f"| {timing.name} | {timing.ms:.1f} | {timing.ms / bare:.0f} | "
                f"{timing.cpu_ms:.1f} | {timing.queries} | {aim} |"
            )
        lines.append("")
    lines += ["<details><summary>SQL of each request</summary>", ""]
    for result in results:
        for name, statements in result.sql.items():
            lines.append(f"- {result.engine}, {name}:")
            lines.extend(f"  - `{statement[:200]}`" for statement in statements)
    return [*lines, "", "</details>", ""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--scans", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=3_000)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--database-url",
        help="measure on a population generated earlier (bench/insights_data.py) instead",
    )
    args = parser.parse_args()
    started = time.monotonic()

    def log(text: str) -> None:
        print(f"[insights {time.monotonic() - started:6.1f}s] {text}", file=sys.stderr, flush=True)

    if args.database_url:
        result = measure_existing(args.database_url, log)
    else:
        result = measure(args.engine, args.scans, args.organisations, log)
    if args.json:
        print(json.dumps(asdict(result)))
    else:
        print("\n".join(render([result])))
    return 0


def from_json(text: str) -> InsightsResult:
    data = json.loads(text)
    data["timings"] = [Timing(**t) for t in data["timings"]]
    return InsightsResult(**data)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"\nBENCH FAILED: {error}", file=sys.stderr)
        sys.exit(1)
