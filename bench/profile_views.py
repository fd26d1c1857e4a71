"""Where a request's time goes: cProfile over many requests of one kind, in-process.

    .venv/bin/python bench/profile_views.py page|results|answer|welcome|review|ok|insert
    .venv/bin/python bench/profile_views.py api-bulk|api-answer|api-result   # the JSON API

Calls the WSGI application directly (as gunicorn does, with a urlencoded body, the CSRF
cookie and token) on a throw-away SQLite database with the app's settings; warms the
process first, then prints the time per request without the profiler and the functions
with the most cumulative and own time under it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from server import app_env  # noqa: E402

Environ = dict[str, Any]
VIEWS = ["page", "results", "answer", "welcome", "review", "ok", "insert"]
API_VIEWS = ["api-bulk", "api-answer", "api-result"]


def environ(method: str, path: str, body: bytes = b"", **headers: str) -> Environ:
    env: Environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if body:
        env["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        env["CONTENT_LENGTH"] = str(len(body))
    env.update({"HTTP_" + name.upper(): value for name, value in headers.items()})
    return env


def call(app: Callable[..., Iterable[bytes]], env: Environ) -> tuple[str, dict[str, str], bytes]:
    got: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        got["status"], got["headers"] = status, headers

    chunks = app(env, start_response)
    body = b"".join(chunks)
    close = getattr(chunks, "close", None)
    if close is not None:
        close()
    cookies = {
        value.strip().split("=", 1)[0]: value.strip().split("=", 1)[1].split(";", 1)[0]
        for name, value in got["headers"]
        if name.lower() == "set-cookie"
    }
    return got["status"], cookies, body


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("view", choices=VIEWS + API_VIEWS)
    parser.add_argument("-n", type=int, default=500, help="requests timed and profiled")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="imscan-profile-") as tmp:
        os.environ.update(app_env(Path(tmp) / "profile.sqlite3"))
        import django

        django.setup()
        from django.core.handlers.wsgi import WSGIHandler
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        call_command("loadmodels", stdout=io.StringIO())
        from imscan.catalog.selectors import engine_model, latest_versions

        app = WSGIHandler()
        ids = [s.id for s in engine_model(latest_versions()[0]).statements()]
        status, cookies, body = call(app, environ("GET", "/nl/"))
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if not status.startswith("200") or found is None:
            raise SystemExit(f"GET /nl/: {status}")
        csrf = found.group(1).decode()
        cookie = f"csrftoken={cookies['csrftoken']}"

        def post(path: str, form: dict[str, str], **headers: str) -> tuple[str, bytes]:
            data = urlencode({"csrfmiddlewaretoken": csrf, **form}).encode()
            status, _, body = call(app, environ("POST", path, data, cookie=cookie, **headers))
            return status, body

        token = start_token(app, csrf, cookie)
        answers = {f"s-{sid}": str(n % 5 + 1) for n, sid in enumerate(ids)}
        post(f"/nl/scan/{token}/answer/", answers, hx_request="true")
        if args.view in ("results", "api-result"):
            post(f"/nl/scan/{token}/finish/", {})

        def request(n: int) -> Environ:
            scan = f"/nl/scan/{token}"
            if args.view in API_VIEWS:
                return api_request(args.view, token, ids, n)
            if args.view == "answer":
                data = urlencode(
                    {
                        "csrfmiddlewaretoken": csrf,
                        f"s-{ids[n % len(ids)]}": str(n % 5 + 1),
                        "page": "1",
                    }
                ).encode()
                return environ("POST", f"{scan}/answer/", data, cookie=cookie, hx_request="true")
            if args.view == "insert":
                return environ("POST", "/bench/insert/")
            path = {
                "page": f"{scan}/page/1/",
                "results": f"{scan}/results/",
                "welcome": f"{scan}/",
                "review": f"{scan}/review/",
                "ok": "/bench/ok/",
            }[args.view]
            return environ("GET", path)

        def run(count: int) -> None:
            for n in range(count):
                status, _, body = call(app, request(n))
                if not status.startswith("200"):
                    raise SystemExit(f"{args.view}: {status} {body[:300]!r}")

        run(30)
        batches = []
        for _ in range(5):  # the fastest batch: the least disturbed by other work
            begun = time.perf_counter()
            run(max(args.n // 5, 1))
            batches.append((time.perf_counter() - begun) / max(args.n // 5, 1))
        plain = min(batches)
        profiler = cProfile.Profile()
        profiler.enable()
        run(args.n)
        profiler.disable()
        print(f"{args.view}: {plain * 1000:.3f} ms per request without the profiler (best of 5)\n")
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.top)
            print(out.getvalue())
    return 0


def api_request(view: str, token: str, ids: list[str], n: int) -> Environ:
    """The API's bulk write of every answer, a single answer, or the result read."""
    auth = {"authorization": f"Bearer {token}"}
    if view == "api-result":
        return environ("GET", "/api/v1/respondent/result", **auth)
    if view == "api-bulk":
        body = {"answers": {sid: (n + i) % 5 + 1 for i, sid in enumerate(ids)}}
        method, path = "PATCH", "/api/v1/respondent/answers"
    else:
        body = {"value": n % 5 + 1}
        method, path = "PUT", f"/api/v1/respondent/answers/{ids[n % len(ids)]}"
    env = environ(method, path, json.dumps(body).encode(), **auth)
    env["CONTENT_TYPE"] = "application/json"
    return env


def start_token(app: Callable[..., Iterable[bytes]], csrf: str, cookie: str) -> str:
    data = urlencode({"csrfmiddlewaretoken": csrf, "model": "ims-gov"}).encode()
    got: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        got["status"], got["headers"] = status, dict(headers)

    b"".join(app(environ("POST", "/nl/scan/start/", data, cookie=cookie), start_response))
    if not got["status"].startswith("302"):
        raise SystemExit(f"start: {got['status']}")
    return str(got["headers"]["Location"]).rstrip("/").split("/")[-1]


if __name__ == "__main__":
    sys.exit(main())
