"""The wrk part: two ceilings and the app's answer save, question page and results page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from client import BenchError, Client, expect, token_from_location
from server import Server
from wrk_run import Request, WrkResult, run_wrk

POOL = 50  # scans written to (answer save, question page) and read (results page)
VALUES = ["1", "2", "3", "4", "5"]
OK = Request("GET", "/bench/ok/", {})


@dataclass
class HttpResult:
    """The wrk runs in the order they ran; the bare view runs between the others.

    The machine is shared, so its speed drifts: every ratio divides by the ceiling
    measured next to it in time (writes: the INSERT run just before; reads: the bare-view
    runs just before and just after them; whole scans: those before and after the flows).
    """

    ok_before_writes: WrkResult
    insert: WrkResult
    answer: WrkResult
    ok_before_reads: WrkResult
    page: WrkResult
    results: WrkResult
    ok_after_reads: WrkResult
    ok_after_flows: WrkResult | None = None

    @property
    def ok_runs(self) -> list[WrkResult]:
        runs = [self.ok_before_writes, self.ok_before_reads, self.ok_after_reads]
        return runs + ([self.ok_after_flows] if self.ok_after_flows else [])

    @property
    def ok_rps(self) -> float:
        """The ceiling for the read pages: the bare-view runs on either side of them."""
        return (self.ok_before_reads.rps + self.ok_after_reads.rps) / 2

    @property
    def ok_flows_rps(self) -> float:
        """The ceiling for the whole scans: the bare-view runs on either side of them."""
        after = self.ok_after_flows or self.ok_after_reads
        return (self.ok_after_reads.rps + after.rps) / 2

    @property
    def drift(self) -> float:
        """How far the bare-view runs lie apart, relative to their mean (noise)."""
        rates = [run.rps for run in self.ok_runs]
        return (max(rates) - min(rates)) / (sum(rates) / len(rates))


def start_scans(client: Client, count: int) -> list[str]:
    client.fetch_form("/nl/")
    tokens = []
    for _ in range(count):
        started = expect(client.post("/nl/scan/start/", {"model": "ims-gov"}), 302, "start")
        tokens.append(token_from_location(started.location))
    return tokens


def finished_scans(client: Client, count: int, statement_ids: list[str]) -> list[str]:
    """Scans with all answers given (in one save each) and finished."""
    tokens = start_scans(client, count)
    for n, token in enumerate(tokens):
        answers = {f"s-{sid}": VALUES[(n + i) % 5] for i, sid in enumerate(statement_ids)}
        answers[f"s-{statement_ids[n % len(statement_ids)]}"] = "na"  # one "don't know"
        expect(
            client.post(f"/nl/scan/{token}/answer/", answers, {"HX-Request": "true"}),
            200,
            "save all answers",
        )
        expect(client.post(f"/nl/scan/{token}/finish/", {}), 302, "finish")
    return tokens


def check_first(server: Server, request: Request, marker: bytes, name: str) -> None:
    """The first prepared request by hand before the load: right status, right page."""
    client = server.client()
    try:
        body = request.body.encode() if request.body is not None else None
        response = client.send(request.method, request.path, body, request.headers)
    finally:
        client.close()
    if not 200 <= response.status < 300 or marker not in response.body:
        raise BenchError(
            f"{name}: {request.method} {request.path} gave HTTP {response.status} without "
            f"{marker!r}: {response.text()[:300]!r}"
        )


def run_http(
    server: Server,
    work: Path,
    pages: list[list[str]],
    seconds: int,
    log: Callable[[str], None],
) -> HttpResult:
    statement_ids = [sid for page in pages for sid in page]
    client = server.client()
    try:
        log(f"http: starting {POOL} scans to write to, {POOL} finished ones to read")
        writing = start_scans(client, POOL)
        reading = finished_scans(client, POOL, statement_ids)
        # The answer save's CSRF pair, as htmx sends it: cookie and token of a question page.
        client.cookies.clear()
        client.fetch_form(f"/nl/scan/{writing[0]}/page/1/")
        csrf_cookie, csrf_token = client.cookies["csrftoken"], client.csrf_token
    finally:
        client.close()

    # What htmx posts on a change: the token, the page (hx-vals) and the one answer.
    page_of = {sid: number for number, ids in enumerate(pages, start=1) for sid in ids}
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    ok = [OK]
    insert = [Request("POST", "/bench/insert/", form, "")]
    answer = [
        Request(
            "POST",
            f"/nl/scan/{token}/answer/",
            {**form, "HX-Request": "true", "Cookie": f"csrftoken={csrf_cookie}"},
            f"csrfmiddlewaretoken={csrf_token}&s-{sid}={VALUES[(n + i) % 5]}&page={page_of[sid]}",
        )
        for i, sid in enumerate(statement_ids)
        for n, token in enumerate(writing)
    ]
    page = [Request("GET", f"/nl/scan/{token}/page/1/", {}) for token in writing]
    results = [Request("GET", f"/nl/scan/{token}/results/", {}) for token in reading]

    checks = [
        ("ok", ok, b"ok"),
        ("insert", insert, b"ok"),
        ("answer save", answer, b"imscan-save-status"),
        ("question page", page, b"<fieldset"),
        ("results page", results, b"<svg"),
    ]
    for name, requests, marker in checks:
        check_first(server, requests[0], marker, name)

    def load(name: str, requests: list[Request], duration: int = seconds) -> WrkResult:
        log(f"http: wrk {duration} s on {name}")
        script = work / f"{name.replace(' ', '-')}.lua"
        return run_wrk(name, server.url("/"), requests, script, duration)

    # Warm both workers (parsed model, compiled templates) before anything is measured.
    load("warm-up", [*page[:4], *results[:4], *answer[:4]], 2)
    return HttpResult(
        ok_before_writes=load("ok", ok),
        insert=load("insert", insert),
        answer=load("answer save", answer),
        ok_before_reads=load("ok", ok),
        page=load("question page", page),
        results=load("results page", results),
        ok_after_reads=load("ok", ok),
    )


def bare_view(server: Server, work: Path, seconds: int, log: Callable[[str], None]) -> WrkResult:
    log(f"http: wrk {seconds} s on ok")
    return run_wrk("ok", server.url("/"), [OK], work / "ok.lua", seconds)
