"""The JSON API under wrk: a bulk write of 60 answers, `PATCH /api/v1/respondent/answers`,
against the one-INSERT view, and a result read, `GET /api/v1/respondent/result`, against
the bare view; each ceiling measured just before and just after its figure, in the same
run, so the ratio holds on a shared machine.

Every request carries a private link token (bearer); the writes rotate over a pool of
open self-scans and over five sets of values, so each PATCH really changes 60 rows (one
INSERT ... ON CONFLICT), and the reads over a pool of finished ones. The API's rate limit
is on, with a limit the load cannot reach (server.app_env), so its cost is in the figures.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from client import BenchError, Client
from http_bench import check_first
from server import Server
from wrk_run import Request, WrkResult, run_wrk

POOL = 50
VALUE_SETS = 5
WRITE_TARGET = 0.80  # the answer save's target (PERFORMANCE.md), for one answer
READ_TARGET = 0.40
JSON = {"Content-Type": "application/json"}
OK = Request("GET", "/bench/ok/", {})
INSERT = Request(
    "POST", "/bench/insert/", {"Content-Type": "application/x-www-form-urlencoded"}, ""
)


@dataclass
class ApiResult:
    statements: int
    insert_before: WrkResult
    bulk: WrkResult
    insert_after: WrkResult
    ok_before: WrkResult
    result: WrkResult
    ok_after: WrkResult

    @property
    def insert_rps(self) -> float:
        return (self.insert_before.rps + self.insert_after.rps) / 2

    @property
    def ok_rps(self) -> float:
        return (self.ok_before.rps + self.ok_after.rps) / 2

    @property
    def write_ratio(self) -> float:
        return self.bulk.rps / self.insert_rps

    @property
    def read_ratio(self) -> float:
        return self.result.rps / self.ok_rps


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def call(client: Client, method: str, path: str, token: str | None, body: object = None) -> bytes:
    headers = {**JSON, **(bearer(token) if token else {})}
    data = json.dumps(body).encode() if body is not None else None
    response = client.send(method, path, data, headers)
    if not 200 <= response.status < 300:
        raise BenchError(f"{method} {path}: HTTP {response.status} {response.text()[:300]!r}")
    return response.body


def answers(statement_ids: list[str], offset: int) -> dict[str, float]:
    return {sid: float(1 + (offset + i) % 5) for i, sid in enumerate(statement_ids)}


def start(client: Client, count: int) -> list[str]:
    body = {"model_id": "ims-gov", "language": "nl"}
    return [
        json.loads(call(client, "POST", "/api/v1/self-scans", None, body))["token"]
        for _ in range(count)
    ]


def run_api(
    server: Server,
    work: Path,
    statement_ids: list[str],
    seconds: int,
    log: Callable[[str], None],
) -> ApiResult:
    client = server.client()
    try:
        log(f"api: starting {POOL} self-scans to write to, {POOL} finished ones to read")
        writing = start(client, POOL)
        reading = start(client, POOL)
        for n, token in enumerate(reading):
            call(
                client,
                "PATCH",
                "/api/v1/respondent/answers",
                token,
                {"answers": answers(statement_ids, n)},
            )
            call(client, "POST", "/api/v1/respondent/finish", token)
    finally:
        client.close()
    bulk = [
        Request(
            "PATCH",
            "/api/v1/respondent/answers",
            {**JSON, **bearer(token)},
            json.dumps({"answers": answers(statement_ids, offset)}),
        )
        for offset in range(VALUE_SETS)
        for token in writing
    ]
    result = [Request("GET", "/api/v1/respondent/result", bearer(token)) for token in reading]
    check_first(server, bulk[0], b'"answered": %d' % len(statement_ids), "bulk write")
    check_first(server, result[0], b'"development_points"', "result read")

    def load(name: str, requests: list[Request], duration: int = seconds) -> WrkResult:
        log(f"api: wrk {duration} s on {name}")
        return run_wrk(
            name, server.url("/"), requests, work / f"api-{name.replace(' ', '-')}.lua", duration
        )

    load("warm-up", [*bulk[:4], *result[:4]], 2)
    return ApiResult(
        statements=len(statement_ids),
        insert_before=load("insert", [INSERT]),
        bulk=load("bulk write", bulk),
        insert_after=load("insert", [INSERT]),
        ok_before=load("ok", [OK]),
        result=load("result read", result),
        ok_after=load("ok", [OK]),
    )


def render_api(result: ApiResult) -> list[str]:
    def met(ok: bool) -> str:
        return "met" if ok else "**NOT MET**"

    def row(name: str, run: WrkResult, ratio: str = "") -> str:
        latency = f"{run.p50_ms:.1f} ms | {run.p99_ms:.1f} ms"
        return f"| {name} | {run.rps:,.0f} req/s | {latency} | {ratio} |"

    return [
        "## JSON API",
        "",
        f"wrk against gunicorn as above. The bulk write sends {result.statements} answers "
        "in one `PATCH /api/v1/respondent/answers` (JSON, private link token), compared "
        "with the one-INSERT view measured just before and after it; the result read "
        "(`GET /api/v1/respondent/result`, the JSON of `imscan score`) with the bare view "
        "measured just before and after it.",
        "",
        "| figure | measured | ratio | target | |",
        "|---|---|---|---|---|",
        f"| Bulk write, {result.statements} answers per request | {result.bulk.rps:,.0f} req/s "
        f"({result.bulk.rps * result.statements:,.0f} answers/s) | {result.write_ratio:.2f} of "
        f"one-INSERT ({result.insert_rps:,.0f} req/s) | >= {WRITE_TARGET:.2f} (the target of "
        f"a one-answer save) | {met(result.write_ratio >= WRITE_TARGET)} |",
        f"| Result read | {result.result.rps:,.0f} req/s | {result.read_ratio:.2f} of the bare "
        f"view ({result.ok_rps:,.0f} req/s) | >= {READ_TARGET:.2f} | "
        f"{met(result.read_ratio >= READ_TARGET)} |",
        "",
        "| run | throughput | p50 | p99 | ratio |",
        "|---|---|---|---|---|",
        row("`POST /bench/insert/` (before)", result.insert_before),
        row(
            f"`PATCH /api/v1/respondent/answers`, {result.statements} answers",
            result.bulk,
            f"{result.write_ratio:.2f} of INSERT",
        ),
        row("`POST /bench/insert/` (after)", result.insert_after),
        row("`GET /bench/ok/` (before)", result.ok_before),
        row("`GET /api/v1/respondent/result`", result.result, f"{result.read_ratio:.2f} of ok"),
        row("`GET /bench/ok/` (after)", result.ok_after),
        "",
    ]
