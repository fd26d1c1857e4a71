"""Running wrk with a Lua script that rotates over prepared requests and checks every status.

wrk itself only counts statuses above 399 ("Non-2xx or 3xx responses"); the script's
`response` hook counts every status outside 200-299, so a redirect fails the run too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from client import BenchError

CONNECTIONS = 16
THREADS = 1

# Shared by every script, so each endpoint pays the same load-generator cost.
LUA_CHECKS = """
bad = 0
first_bad = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    bad = bad + 1
    if first_bad == 0 then first_bad = status end
  end
end

function done(summary, latency, requests)
  local total, first = 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("bad")
    if first == 0 then first = thread:get("first_bad") end
  end
  io.write(string.format("BENCH-STATUS bad=%d first=%d\\n", total, first))
end
"""


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: str | None = None


@dataclass(frozen=True)
class WrkResult:
    name: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float


def lua_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def lua_script(requests: list[Request]) -> str:
    """A script whose `request` hands out the prepared requests round-robin."""
    lines = ["local requests = {}"]
    for request in requests:
        headers = ", ".join(
            f"[{lua_string(k)}] = {lua_string(v)}" for k, v in request.headers.items()
        )
        body = lua_string(request.body) if request.body is not None else "nil"
        lines.append(
            f"requests[#requests + 1] = wrk.format({lua_string(request.method)}, "
            f"{lua_string(request.path)}, {{{headers}}}, {body})"
        )
    lines += [
        "local i = 0",
        "function request()",
        "  i = i % #requests + 1",
        "  return requests[i]",
        "end",
    ]
    return "\n".join(lines) + "\n" + LUA_CHECKS


def require_wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise BenchError("wrk is missing: run `make bench` as root, or apt-get install wrk")
    return found


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def duration_ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if found is None:
        raise BenchError(f"cannot read wrk latency {text!r}")
    return float(found.group(1)) * UNITS_MS[found.group(2)]


def run_wrk(
    name: str,
    base_url: str,
    requests: list[Request],
    script_path: Path,
    seconds: int,
) -> WrkResult:
    script_path.write_text(lua_script(requests), encoding="utf-8")
    command = [
        require_wrk(),
        f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s",
        "--latency", "--timeout", "10s",
        "-s", str(script_path),
        base_url,
    ]  # fmt: skip
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 30, check=False
    )
    out = result.stdout
    if result.returncode != 0:
        raise BenchError(f"wrk for {name} failed ({result.returncode}):\n{out}{result.stderr}")
    return parse(name, out)


def parse(name: str, out: str) -> WrkResult:
    def need(pattern: str) -> re.Match[str]:
        found = re.search(pattern, out, re.MULTILINE)
        if found is None:
            raise BenchError(f"wrk output for {name} lacks /{pattern}/:\n{out}")
        return found

    if "Non-2xx or 3xx responses" in out:
        raise BenchError(f"{name}: wrk saw error responses:\n{out}")
    status = need(r"^BENCH-STATUS bad=(\d+) first=(\d+)")
    if int(status.group(1)):
        raise BenchError(
            f"{name}: {status.group(1)} responses were not 2xx (first: HTTP {status.group(2)})"
            f":\n{out}"
        )
    errors = re.search(r"Socket errors: (.*)", out)
    if errors is not None:
        raise BenchError(f"{name}: wrk socket errors ({errors.group(1)}):\n{out}")
    done = need(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m),")
    return WrkResult(
        name=name,
        requests=int(done.group(1)),
        seconds=duration_ms(done.group(2) + done.group(3)) / 1000,
        rps=float(need(r"^Requests/sec:\s+([\d.]+)").group(1)),
        p50_ms=duration_ms(need(r"^\s+50%\s+(\S+)").group(1)),
        p99_ms=duration_ms(need(r"^\s+99%\s+(\S+)").group(1)),
    )
