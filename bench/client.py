"""A small keep-alive HTTP client over http.client, with the cookies and CSRF token of a form.

gunicorn's sync workers close the connection after every response; http.client then opens
a new one for the next request by itself, so the same client works with either behaviour.
"""

from __future__ import annotations

import http.client
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class BenchError(RuntimeError):
    """Something the benchmark relies on did not hold: fail loudly, never report a figure."""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float
    cookies: list[tuple[str, str]] = field(default_factory=list)

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Client:
    host: str
    port: int
    timeout: float = 30.0
    cookies: dict[str, str] = field(default_factory=dict)
    csrf_token: str = ""
    done_at: list[float] = field(default_factory=list)  # time.monotonic() of each response

    def __post_init__(self) -> None:
        self._connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def close(self) -> None:
        self._connection.close()

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """A request with this client's cookies; `form` is sent urlencoded."""
        sent = dict(headers or {})
        body: bytes | None = None
        if form is not None:
            body = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = self.send(method, path, body, sent)
        for name, value in response.cookies:
            self.cookies[name] = value
        return response

    def send(self, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> Response:
        """Exactly this request: no cookies or headers added."""
        started = time.perf_counter()
        try:
            self._connection.request(method, path, body=body, headers=headers)
            raw = self._connection.getresponse()
            data = raw.read()
        except (OSError, http.client.HTTPException) as error:
            # No retry: a repeated POST could store twice, and a lost request is a failure.
            self._connection.close()
            raise BenchError(f"{method} {path}: {error!r}") from error
        seconds = time.perf_counter() - started
        self.done_at.append(time.monotonic())
        if raw.will_close:
            self._connection.close()
        cookies = [
            (name.strip(), rest.split(";", 1)[0])
            for header, value in raw.getheaders()
            if header.lower() == "set-cookie"
            for name, _, rest in [value.partition("=")]
        ]
        received = {name.lower(): value for name, value in raw.getheaders()}
        return Response(raw.status, received, data, seconds, cookies)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def post(
        self, path: str, form: dict[str, str], headers: dict[str, str] | None = None
    ) -> Response:
        """A form POST carrying the CSRF token taken from the last form page."""
        if not self.csrf_token:
            raise BenchError("POST without a CSRF token: fetch a form page first")
        return self.request("POST", path, {"csrfmiddlewaretoken": self.csrf_token, **form}, headers)

    def fetch_form(self, path: str) -> Response:
        """GET a page holding a form; keep its CSRF token (the cookie is kept anyway)."""
        response = self.get(path)
        expect(response, 200, f"GET {path}")
        found = CSRF_INPUT.search(response.body)
        if found is None or "csrftoken" not in self.cookies:
            raise BenchError(f"GET {path}: no CSRF token and cookie in the page")
        self.csrf_token = found.group(1).decode()
        return response


def expect(response: Response, status: int, what: str) -> Response:
    if response.status != status:
        raise BenchError(
            f"{what}: expected HTTP {status}, got {response.status}: {response.text()[:300]!r}"
        )
    return response


def token_from_location(location: str) -> str:
    """The private token from a redirect to /<lang>/scan/<token>/ (or .../results/)."""
    parts = [part for part in location.split("/") if part]
    try:
        return parts[parts.index("scan") + 1]
    except (ValueError, IndexError):
        raise BenchError(f"no scan token in redirect {location!r}") from None
