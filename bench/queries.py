"""SQL queries per request, counted in-process with Django's test client on a database of
its own. Each request is made once to warm the process (the parsed model is cached per
process) and counted the second time."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

from client import BenchError
from server import app_env

HTMX = {"HX-Request": "true"}


@dataclass(frozen=True)
class Counted:
    name: str
    counts: dict[str, int]  # case -> queries
    sql: dict[str, list[str]]

    @property
    def constant(self) -> bool:
        return len(set(self.counts.values())) == 1


def check(condition: bool, message: str) -> None:
    if not condition:
        raise BenchError(f"query count: {message}")


def count_queries(database: Path, pages: list[list[str]]) -> list[Counted]:
    os.environ.update(app_env(database))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", interactive=False, verbosity=0)
    call_command("loadmodels", stdout=io.StringIO())
    client = Client(HTTP_HOST="127.0.0.1")
    statement_ids = [sid for page in pages for sid in page]

    def start(answered: int, finish: bool) -> str:
        response = client.post("/nl/scan/start/", {"model": "ims-gov"})
        check(response.status_code == 302, f"start: HTTP {response.status_code}")
        token = response["Location"].rstrip("/").split("/")[-1]
        answers = {f"s-{sid}": str(n % 5 + 1) for n, sid in enumerate(statement_ids[:answered])}
        saved = client.post(f"/nl/scan/{token}/answer/", answers, headers=HTMX)
        check(saved.status_code == 200, f"save: HTTP {saved.status_code}")
        if finish:
            finished = client.post(f"/nl/scan/{token}/finish/")
            check(finished.status_code == 302, f"finish: HTTP {finished.status_code}")
        return token

    def measure(method: str, path: str, data: dict[str, str] | None = None) -> list[str]:
        def call() -> int:
            if method == "GET":
                return client.get(path).status_code
            return client.post(path, data or {}, headers=HTMX).status_code

        check(call() == 200, f"{method} {path}: not 200")  # warm-up
        with CaptureQueriesContext(connection) as captured:
            status = call()
        check(status == 200, f"{method} {path}: not 200")
        return [query["sql"] for query in captured.captured_queries]

    results: list[Counted] = []
    for name, kind, finish in (
        ("question page (GET page 1)", "page/1/", False),
        ("results page", "results/", True),
    ):
        counts: dict[str, int] = {}
        sql: dict[str, list[str]] = {}
        for answered in (1, len(statement_ids)):
            token = start(answered, finish)
            queries = measure("GET", f"/nl/scan/{token}/{kind}")
            key = f"{answered} answer{'s' if answered > 1 else ''}"
            counts[key] = len(queries)
            sql[key] = queries
        results.append(Counted(name, counts, sql))

    counts, sql = {}, {}
    for answered in (1, len(statement_ids)):
        token = start(answered, finish=False)
        for size in (1, len(pages[0])):
            data = {f"s-{sid}": "3" for sid in statement_ids[:size]}
            queries = measure("POST", f"/nl/scan/{token}/answer/", data)
            key = f"{size} answer{'s' if size > 1 else ''} saved, {answered} stored"
            counts[key] = len(queries)
            sql[key] = queries
    results.append(Counted("answer save (htmx POST)", counts, sql))
    return results
