"""Whole scans at N concurrent clients, as a browser with htmx would take them.

One flow: POST start, GET welcome, then for each page GET it and autosave its answers,
GET review, POST finish, GET results. The page's form posts all its answers given so far
on every change, and while a save is under way further changes wait and go together
(htmx `hx-sync="this:queue last"`). The clients answer without pause, so the real client
sends two saves a page: the first answer, then the rest that came in meanwhile
(`queued=True`). `queued=False` is the worst case for the server: one save per answer,
as from someone answering more slowly than a save takes.
Clients start flows until the window closes; flows under way then run to their end, so
every answer can be counted in the database afterwards.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from client import BenchError, Client, expect, token_from_location
from server import Server

HTMX = {"HX-Request": "true"}


@dataclass
class Tally:
    flows_in_window: int = 0
    flows: int = 0
    requests: int = 0
    requests_in_window: int = 0
    tokens: list[str] = field(default_factory=list)
    answer_seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FlowResult:
    batched: bool
    clients: int
    window_s: float
    flows_in_window: int
    flows: int
    requests: int
    requests_in_window: int
    requests_per_flow: float
    answers_expected: int
    answers_stored: int
    finished_stored: int
    answer_p50_ms: float
    answer_p99_ms: float
    answer_max_ms: float

    @property
    def flows_per_s(self) -> float:
        """Flows' requests done in the window, in whole flows, per second.

        The clients start together and their flows take about as long, so whole flows end
        in waves; counting their requests instead keeps the rate from jumping by one wave.
        """
        return self.requests_in_window / self.requests_per_flow / self.window_s


def one_flow(
    client: Client, pages: list[list[str]], values: list[str], rng: random.Random, batched: bool
) -> tuple[str, int, list[float]]:
    """Take one whole scan; returns its token, its request count and its autosave times.

    `batched`: saves as the htmx client queues them at zero think time (the first answer,
    then the rest of the page); otherwise one save per answer.
    """
    requests = 0
    saves: list[float] = []
    started = expect(client.post("/nl/scan/start/", {"model": "ims-gov"}), 302, "POST start")
    token = token_from_location(started.location)
    scan = f"/nl/scan/{token}"
    expect(client.get(f"{scan}/"), 200, "GET welcome")
    requests += 2
    for number, statement_ids in enumerate(pages, start=1):
        expect(client.get(f"{scan}/page/{number}/"), 200, f"GET page {number}")
        requests += 1
        given = {f"s-{sid}": rng.choice(values) for sid in statement_ids}
        fields = list(given)
        # How many answers each save carries: the form posts every answer given so far.
        upto = [1, len(fields)] if batched else list(range(1, len(fields) + 1))
        for count in upto:
            answers = {name: given[name] for name in fields[:count]}
            answers["page"] = str(number)  # htmx's hx-vals: the page the answers are on
            saved = client.post(f"{scan}/answer/", answers, HTMX)
            expect(saved, 200, f"autosave of {count} answers on page {number}")
            saves.append(saved.seconds)
            requests += 1
    expect(client.get(f"{scan}/review/"), 200, "GET review")
    expect(client.post(f"{scan}/finish/", {}), 302, "POST finish")
    results = expect(client.get(f"{scan}/results/"), 200, "GET results")
    requests += 3
    if b"<svg" not in results.body:
        raise BenchError(f"results page of {token} shows no chart")
    return token, requests, saves


def worker(
    server: Server,
    pages: list[list[str]],
    values: list[str],
    seed: int,
    batched: bool,
    window_end: float,
    hard_end: float,
    tally: Tally,
    lock: threading.Lock,
) -> None:
    rng = random.Random(seed)
    client = server.client()
    try:
        client.fetch_form("/nl/")  # the start form: csrftoken cookie and form token
        client.done_at.clear()  # count the flows' requests only
        while time.monotonic() < window_end:
            token, requests, saves = one_flow(client, pages, values, rng, batched)
            finished = time.monotonic()
            if finished > hard_end:
                raise BenchError("a flow ran past the hard time limit")
            with lock:
                tally.flows += 1
                tally.flows_in_window += finished <= window_end
                tally.requests += requests
                tally.tokens.append(token)
                tally.answer_seconds.extend(saves)
    except Exception as error:  # reported by the main thread
        with lock:
            tally.errors.append(f"{type(error).__name__}: {error}")
    finally:
        client.close()
        with lock:
            tally.requests_in_window += sum(1 for at in client.done_at if at <= window_end)


def run_flows(
    server: Server,
    database: Path,
    pages: list[list[str]],
    values: list[str],
    clients: int,
    window_s: float,
    batched: bool = False,
) -> FlowResult:
    tally = Tally()
    lock = threading.Lock()
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        before = db.execute("SELECT COALESCE(MAX(id), 0) FROM scans_respondent").fetchone()[0]
    started = time.monotonic()
    window_end = started + window_s
    hard_end = window_end + 30
    threads = [
        threading.Thread(
            target=worker,
            args=(server, pages, values, n, batched, window_end, hard_end, tally, lock),
            daemon=True,
        )
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(hard_end - time.monotonic(), 0) + 5)
    if any(thread.is_alive() for thread in threads):
        raise BenchError("whole-scan clients did not stop in time")
    if tally.errors:
        raise BenchError(f"{len(tally.errors)} whole-scan client(s) failed: {tally.errors[0]}")
    statements = sum(len(ids) for ids in pages)
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        stored = db.execute(
            "SELECT COUNT(*) FROM scans_answer WHERE respondent_id > ?", (before,)
        ).fetchone()[0]
        finished = db.execute(
            "SELECT COUNT(*) FROM scans_respondent WHERE id > ? AND finished_at IS NOT NULL",
            (before,),
        ).fetchone()[0]
    if stored != statements * tally.flows or finished != tally.flows:
        raise BenchError(
            f"answers lost: {stored} stored of {statements * tally.flows} acknowledged, "
            f"{finished} finished respondents of {tally.flows} flows"
        )
    times = sorted(tally.answer_seconds) or [0.0]
    return FlowResult(
        batched=batched,
        clients=clients,
        window_s=window_s,
        flows_in_window=tally.flows_in_window,
        flows=tally.flows,
        requests=tally.requests,
        requests_in_window=tally.requests_in_window,
        requests_per_flow=tally.requests / tally.flows if tally.flows else 0.0,
        answers_expected=statements * tally.flows,
        answers_stored=stored,
        finished_stored=finished,
        answer_p50_ms=statistics.median(times) * 1000,
        answer_p99_ms=times[min(len(times) - 1, int(len(times) * 0.99))] * 1000,
        answer_max_ms=times[-1] * 1000,
    )
