"""The team results page of a guided scan with 200 respondents, in-process.

Times an uncached render (the cache is cleared before each request) of the team results
page for 200 finished respondents in 2 groups, and of a single respondent's results page
in the same run, as a ratio; and counts the page's SQL queries for 20 and for 200
respondents, which must be equal. The WSGI application is called directly, as gunicorn
would (see profile_views.py), with a logged-in member's session cookie.

    .venv/bin/python bench/team.py      # on its own; `make bench` runs it too
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent / "src"))
sys.path.insert(0, str(BENCH_DIR))

from client import BenchError  # noqa: E402
from fixtures import Builder, setup_django  # noqa: E402
from profile_views import call, environ, session_cookie  # noqa: E402

LARGE = 200  # respondents, in two groups of 100
SMALL = 20
BATCHES = 7
PER_BATCH = 3


@dataclass(frozen=True)
class TeamResult:
    respondents: int
    team_ms: float  # uncached render, median per request
    team_small_ms: float  # the same for SMALL respondents
    team_cached_ms: float
    single_ms: float  # a single respondent's results page, uncached
    queries: dict[str, int]  # case -> queries
    sql: dict[str, list[str]]

    @property
    def ratio(self) -> float:
        return self.team_ms / self.single_ms

    @property
    def constant(self) -> bool:
        uncached = {n for case, n in self.queries.items() if "uncached" in case}
        cached = {n for case, n in self.queries.items() if "uncached" not in case}
        return len(uncached) == 1 and len(cached) == 1


def check(condition: bool, message: str) -> None:
    if not condition:
        raise BenchError(f"team results: {message}")


def measure_team(database: Path) -> TeamResult:
    """Set up (or reuse) the database at `database` and measure; see the module docstring."""
    setup_django(database)
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from imscan.organisations.models import Membership

    build = Builder()
    organisation = build.organisation
    large, small = build.guided(LARGE), build.guided(SMALL)
    _, token = build.self_scan()

    user = get_user_model().objects.create_user("bench", "bench@example.org", "not-used-1234")
    Membership.objects.create(organisation=organisation, user=user, role="owner")
    cookie = session_cookie(user)
    app = WSGIHandler()

    def get(path: str) -> Callable[[], None]:
        def request() -> None:
            status, _, body = call(app, environ("GET", path, cookie=cookie))
            check(status.startswith("200"), f"GET {path}: {status} {body[:200]!r}")

        return request

    def uncached(request: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            cache.clear()
            request()

        return run

    def median_ms(request: Callable[[], None]) -> float:
        for _ in range(2):
            request()  # warm: the parsed model, the templates, the connection
        batches = []
        for _ in range(BATCHES):
            begun = time.perf_counter()
            for _ in range(PER_BATCH):
                request()
            batches.append((time.perf_counter() - begun) / PER_BATCH)
        return statistics.median(batches) * 1000

    team_large = get(f"/nl/scans/{large.public_id}/results/")
    team_small = get(f"/nl/scans/{small.public_id}/results/")
    results = get(f"/nl/scan/{token}/results/")
    page = call(app, environ("GET", f"/nl/scans/{large.public_id}/results/", cookie=cookie))[2]
    check(page.count(b"imscan-agenda__prompt") == 10, "no discussion agenda of 10 statements")
    check(page.count(b'class="imscan-radar__series') == 2, "no line per group")

    single_ms = median_ms(uncached(results))
    team_ms = median_ms(uncached(team_large))
    team_small_ms = median_ms(uncached(team_small))
    team_cached_ms = median_ms(team_large)
    single_again = median_ms(uncached(results))  # the machine's drift over the run
    single_ms = (single_ms + single_again) / 2

    queries: dict[str, int] = {}
    sql: dict[str, list[str]] = {}
    for size, request in ((SMALL, team_small), (LARGE, team_large)):
        for kind, run in (("uncached", uncached(request)), ("cached", request)):
            run()  # the first of each kind may load what the process keeps
            with CaptureQueriesContext(connection) as captured:
                run()
            key = f"{size} respondents, {kind}"
            queries[key] = len(captured)
            sql[key] = [query["sql"] for query in captured.captured_queries]
    result = TeamResult(
        respondents=LARGE,
        team_ms=team_ms,
        team_small_ms=team_small_ms,
        team_cached_ms=team_cached_ms,
        single_ms=single_ms,
        queries=queries,
        sql=sql,
    )
    check(result.constant, f"queries grow with the respondents: {queries}")
    return result


def render_team(result: TeamResult) -> list[str]:
    """The report's section on the team results page, in Markdown."""
    counts = ", ".join(f"{n} ({case})" for case, n in result.queries.items())
    lines = [
        "## Team results page",
        "",
        f"In-process (the WSGI application called directly), a guided scan with "
        f"{result.respondents} finished respondents in 2 groups (60 statements, about one "
        'answer in ten "don\'t know"); the cache is cleared before each uncached request. '
        f"Median of {BATCHES} batches of {PER_BATCH} requests.",
        "",
        "| figure | measured | ratio | target | |",
        "|---|---|---|---|---|",
        f"| Team results page, {result.respondents} respondents, uncached | "
        f"{result.team_ms:.1f} ms | {result.ratio:.1f}x a single respondent's results page "
        f"({result.single_ms:.1f} ms, uncached) | | |",
        f"| Team results page, {SMALL} respondents, uncached | {result.team_small_ms:.1f} ms | "
        f"{result.team_small_ms / result.single_ms:.1f}x | | |",
        f"| Team results page, {result.respondents} respondents, cached | "
        f"{result.team_cached_ms:.2f} ms | {result.team_cached_ms / result.single_ms:.2f}x | "
        "| |",
        f"| SQL queries, team results page | {counts} | "
        f"{'constant' if result.constant else 'grows'} | constant | "
        f"{'met' if result.constant else '**NOT MET**'} |",
        "",
        f"<details><summary>team results page SQL: {result.queries}</summary>",
        "",
    ]
    for case, statements in result.sql.items():
        lines.append(f"- {case}:")
        lines.extend(f"  - `{statement[:160]}`" for statement in statements)
    return [*lines, "", "</details>", ""]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="imscan-team-") as tmp:
        result = measure_team(Path(tmp) / "team.sqlite3")
    print("\n".join(render_team(result)))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"\nBENCH FAILED: {error}", file=sys.stderr)
        sys.exit(1)
