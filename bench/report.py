"""The Markdown report: every figure, its ratio to the ceiling of the same run, its target."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from engine_timing import EngineResult
from flows import FlowResult
from http_bench import HttpResult
from queries import Counted
from wrk_run import CONNECTIONS, THREADS

# The peer's anchor (docs: /work/shared/PERFORMANCE.md): 11.6 complete flows/s against a
# bare Django view doing ~5,300 req/s on the same kind of machine.
PEER_FLOWS = 11.6
PEER_OK_RPS = 5300.0
PEER_RATIO = PEER_FLOWS / PEER_OK_RPS
FLOW_TARGET_MULTIPLE = 3.0
WRITE_TARGET = 0.80
READ_TARGET = 0.40
SCORE_TARGET_MS = 1.0
STORE_TARGET_MS = 2000.0
NOISY = 0.15  # bare-view runs further apart than this: other work was running


@dataclass
class Figures:
    machine: str
    seconds: int
    versions: str = ""
    engine: EngineResult | None = None
    queries: list[Counted] | None = None
    http: HttpResult | None = None
    flows: FlowResult | None = None
    batched: FlowResult | None = None
    total_s: float = 0.0


def met(ok: bool) -> str:
    return "met" if ok else "**NOT MET**"


def n(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def ms(value: float) -> str:
    digits = 3 if value < 1 else 1 if value < 100 else 0
    return f"{value:.{digits}f} ms"


def summary(figures: Figures) -> list[str]:
    rows = ["| figure | measured | ratio | target | |", "|---|---|---|---|---|"]
    engine, http, flows, queries = figures.engine, figures.http, figures.flows, figures.queries
    if engine:
        rows.append(
            f"| Scoring one respondent, `score()` | {ms(engine.one_ms)} | | "
            f"< {SCORE_TARGET_MS:g} ms | {met(engine.one_ms < SCORE_TARGET_MS)} |"
        )
        rows.append(
            f"| Scoring {engine.team_size} respondents, `score_many()` | "
            f"{ms(engine.many_ms)} per respondent | | < {SCORE_TARGET_MS:g} ms per respondent | "
            f"{met(engine.many_ms < SCORE_TARGET_MS)} |"
        )
    if http:
        write = http.answer.rps / http.insert.rps
        rows.append(
            f"| Answer save (htmx POST, 1 answer) | {n(http.answer.rps)} req/s | "
            f"{write:.2f} of one-INSERT ({n(http.insert.rps)} req/s) | >= {WRITE_TARGET:.2f} | "
            f"{met(write >= WRITE_TARGET)} |"
        )
        for name, result in (("Question page", http.page), ("Results page", http.results)):
            ratio = result.rps / http.ok_rps
            rows.append(
                f"| {name} | {n(result.rps)} req/s | {ratio:.2f} of bare view "
                f"({n(http.ok_rps)} req/s) | >= {READ_TARGET:.2f} | {met(ratio >= READ_TARGET)} |"
            )
    for counted in queries or []:
        counts = ", ".join(f"{v} ({k})" for k, v in counted.counts.items())
        rows.append(
            f"| SQL queries, {counted.name} | {counts} | "
            f"{'constant' if counted.constant else 'grows'} | constant | {met(counted.constant)} |"
        )
    if flows and http:
        ratio = flows.flows_per_s / http.ok_flows_rps
        multiple = ratio / PEER_RATIO
        rows.append(
            f"| Whole scans, {flows.clients} clients, worst case: one autosave per answer | "
            f"{flows.flows_per_s:.1f} flows/s | {ratio:.5f} of bare view = {multiple:.2f}x "
            f"the peer's {PEER_RATIO:.5f} | >= {FLOW_TARGET_MULTIPLE:g}x "
            f"({FLOW_TARGET_MULTIPLE * PEER_RATIO:.5f}) | {met(multiple >= FLOW_TARGET_MULTIPLE)} |"
        )
    for flow in (flows, figures.batched):
        if flow is None:
            continue
        what = "as htmx queues them" if flow.batched else "per answer"
        rows.append(
            f"| Answers stored, whole scans with autosaves {what} | "
            f"{n(flow.answers_stored)} of {n(flow.answers_expected)} | | all | "
            f"{met(flow.answers_stored == flow.answers_expected)} |"
        )
        rows.append(
            f"| Slowest autosave, {what} (given -> stored and acknowledged) | "
            f"{ms(flow.answer_max_ms)} | | < {STORE_TARGET_MS / 1000:g} s | "
            f"{met(flow.answer_max_ms < STORE_TARGET_MS)} |"
        )
    if figures.batched and http:
        ratio = figures.batched.flows_per_s / http.ok_flows_rps
        multiple = ratio / PEER_RATIO
        rows.append(
            f"| Whole scans, {figures.batched.clients} clients, autosaves as htmx queues them "
            f"(2 per page) | {figures.batched.flows_per_s:.1f} flows/s | {ratio:.5f} of bare "
            f"view = {multiple:.2f}x the peer's | >= {FLOW_TARGET_MULTIPLE:g}x | "
            f"{met(multiple >= FLOW_TARGET_MULTIPLE)} |"
        )
    return rows


def http_section(figures: Figures) -> list[str]:
    http = figures.http
    if http is None:
        return []
    lines = [
        "## HTTP",
        "",
        f"`wrk -t{THREADS} -c{CONNECTIONS} -d{figures.seconds}s --latency` against gunicorn "
        "with 2 sync workers on 127.0.0.1, one endpoint at a time, in this order; every "
        "response checked to be 2xx. The machine is shared, so each ratio divides by the "
        "ceiling measured next to it: the answer save by the INSERT run just before it, the "
        f"pages by the mean of the bare-view runs around them ({n(http.ok_rps)} req/s), the "
        f"whole scans by those around the flows ({n(http.ok_flows_rps)} req/s).",
        "",
        "| endpoint | requests | req/s | p50 | p99 | ratio |",
        "|---|---|---|---|---|---|",
    ]
    ok = "`GET /bench/ok/` bare view"
    rows = [
        (f"{ok} (before the writes)", http.ok_before_writes, ""),
        ("`POST /bench/insert/` one durable INSERT", http.insert, ""),
        (
            "`POST /nl/scan/<token>/answer/` answer save, 1 answer",
            http.answer,
            f"{http.answer.rps / http.insert.rps:.2f} of INSERT",
        ),
        (f"{ok} (before the pages)", http.ok_before_reads, ""),
        (
            "`GET /nl/scan/<token>/page/1/` question page",
            http.page,
            f"{http.page.rps / http.ok_rps:.2f} of ok",
        ),
        (
            "`GET /nl/scan/<token>/results/` results page",
            http.results,
            f"{http.results.rps / http.ok_rps:.2f} of ok",
        ),
        (f"{ok} (after the pages)", http.ok_after_reads, ""),
    ]
    if http.ok_after_flows:
        rows.append((f"{ok} (after the whole scans)", http.ok_after_flows, ""))
    for name, result, ratio in rows:
        lines.append(
            f"| {name} | {n(result.requests)} | {n(result.rps)} | {ms(result.p50_ms)} | "
            f"{ms(result.p99_ms)} | {ratio} |"
        )
    lines.append("")
    drift = f"The bare-view runs lie {http.drift:.0%} apart"
    if http.drift > NOISY:
        lines.append(
            f"**{drift}: the machine was busy with other work during this run, so its "
            "ratios are less certain than usual; run it again when the machine is quiet.**"
        )
    else:
        lines.append(f"{drift}: a quiet run.")
    return [*lines, ""]


def query_section(figures: Figures) -> list[str]:
    if not figures.queries:
        return []
    lines = [
        "## SQL queries per request",
        "",
        "Counted in-process with Django's test client (second request of each kind, so the "
        "per-process model cache is warm).",
        "",
    ]
    for counted in figures.queries:
        lines.append(f"<details><summary>{counted.name}: {dict(counted.counts)}</summary>")
        lines.append("")
        for case, sql in counted.sql.items():
            lines.append(f"- {case}:")
            lines.extend(f"  - `{query[:160]}`" for query in sql)
        lines += ["", "</details>", ""]
    return lines


def flow_section(figures: Figures) -> list[str]:
    http = figures.http
    results = [result for result in (figures.flows, figures.batched) if result is not None]
    if not results or http is None:
        return []
    clients = results[0].clients
    lines = [
        "## Whole scans",
        "",
        f"{clients} Python clients (threads, http.client) each take whole scans, one after "
        "the other: POST start, GET welcome, per page GET it and autosave its answers, "
        "GET review, POST finish, GET results. Flows/s is the flows' requests answered "
        "within the window divided by the requests of one flow (the clients start together, "
        "so whole flows end in waves); the flows under way when the window closes run to "
        "their end, so that every answer can be counted in the database after.",
        "",
    ]
    for result in results:
        ratio = result.flows_per_s / http.ok_flows_rps
        title = (
            "autosaves as the htmx client queues them (2 per page)"
            if result.batched
            else "worst case: one autosave per answer"
        )
        lines += [
            f"### {title[0].upper()}{title[1:]}, {result.window_s:.0f} s",
            "",
            f"- {result.flows_per_s:.2f} flows/s: {n(result.requests_in_window)} requests "
            f"answered in the window at {result.requests_per_flow:.0f} per flow "
            f"({result.requests_in_window / result.window_s:,.0f} req/s); whole flows ended in "
            f"the window: {result.flows_in_window}, in all: {result.flows}",
            f"- normalised: {result.flows_per_s:.2f} / {n(http.ok_flows_rps)} = "
            f"{ratio:.5f}, {ratio / PEER_RATIO:.2f}x "
            f"the peer's {PEER_FLOWS} / {n(PEER_OK_RPS)} = {PEER_RATIO:.5f}",
            f"- autosave latency: p50 {ms(result.answer_p50_ms)}, p99 {ms(result.answer_p99_ms)}, "
            f"max {ms(result.answer_max_ms)}",
            f"- stored: {n(result.answers_stored)} answers of {n(result.finished_stored)} finished "
            f"respondents (expected {n(result.answers_expected)} of {n(result.flows)})",
            "",
        ]
    return lines


def render(figures: Figures) -> str:
    engine = figures.engine
    lines = [
        f"# IMS Scan benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"{figures.machine}, {os.cpu_count()} CPUs; {figures.versions}. SQLite in WAL mode "
        "with synchronous=FULL (the app's default settings) on a fresh temporary database. "
        f"The whole run took {figures.total_s:.0f} s.",
        "",
        "## Summary",
        "",
        *summary(figures),
        "",
    ]
    if figures.http and figures.http.drift > NOISY:
        lines += [
            f"**Noisy run: the bare-view ceiling moved {figures.http.drift:.0%} between its "
            "runs, so other work shared the machine; take these ratios with care.**",
            "",
        ]
    if engine:
        lines += [
            "## Scoring",
            "",
            f"The shipped IMS model ({engine.statements} statements), random answers with about "
            f'one in ten "don\'t know"; median of {engine.batches} timeit batches '
            f"({n(engine.one_runs)} scorings of one, {n(engine.many_runs)} respondents in "
            "teams of 50).",
            "",
        ]
    lines += http_section(figures) + query_section(figures) + flow_section(figures)
    return "\n".join(lines).rstrip() + "\n"
