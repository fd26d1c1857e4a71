"""A throw-away SQLite database and a gunicorn serving it, always stopped at the end."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from client import BenchError, Client

HOST = "127.0.0.1"
WORKERS = 2
# Fixed so both workers sign alike; a throw-away value for a throw-away database.
BENCH_SECRET_KEY = "imscan-bench-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def app_env(database: Path) -> dict[str, str]:
    """The app's own default settings (SQLite in WAL mode), on a database of our own."""
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "LOG_LEVEL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="imscan.config.settings",
        DATABASE_URL=f"sqlite:///{database}",
        IMSCAN_BENCH_VIEWS="1",
        # The API's rate limit stays on (its cost is measured) but out of the load's reach.
        IMSCAN_API_RATE_LIMIT="1000000000",
        SECRET_KEY=BENCH_SECRET_KEY,
        DEBUG="false",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def imscan(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "imscan", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"imscan {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def prepare_database(database: Path) -> dict[str, str]:
    env = app_env(database)
    imscan(env, "migrate", "--noinput")
    imscan(env, "loadmodels")
    return env


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    pid: int
    log: Path

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def client(self) -> Client:
        return Client(self.host, self.port)


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path, workers: int = WORKERS) -> Iterator[Server]:
    """gunicorn with `workers` sync workers on a free port; stopped on leaving, even on error."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "imscan.config.wsgi:application",
        "--bind", f"{HOST}:{port}",
        "--workers", str(workers),
        "--worker-class", "sync",
        "--no-control-socket",
        "--log-level", "warning",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(HOST, port, process.pid, log)
    try:
        wait_until_up(server, process)
        yield server
    finally:
        stop(process)


def wait_until_up(server: Server, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited with {process.returncode}:\n{tail(server.log)}")
        try:
            with socket.create_connection((server.host, server.port), timeout=1):
                pass
            client = server.client()
            try:
                if client.get("/bench/ok/").status == 200:
                    return
            finally:
                client.close()
        except (OSError, BenchError):
            time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer within {timeout:.0f} s:\n{tail(server.log)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """TERM the master (it stops its workers), then KILL its process group if it lingers."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        # start_new_session made the master the leader of a group holding only gunicorn.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
