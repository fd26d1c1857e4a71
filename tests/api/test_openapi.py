"""The OpenAPI schema: served at /api/v1/openapi.json, committed as docs/openapi.json (this
test fails when that file is out of date: run `make openapi`), and a docs page that needs
no CDN and runs no inline script or style."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client

from imscan.api.errors import Code
from imscan.api.main import DOCS_CSP
from imscan.api.openapi import schema_text

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_the_committed_schema_is_up_to_date() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == schema_text(), (
        "docs/openapi.json is out of date: run `make openapi` and commit it"
    )


def test_the_served_schema_is_the_committed_one() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json() == json.loads(COMMITTED.read_text(encoding="utf-8"))


def test_the_check_command_tells_a_stale_file(tmp_path: Path) -> None:
    current = tmp_path / "openapi.json"
    call_command("openapi", output=str(current), stdout=io.StringIO())
    call_command("openapi", output=str(current), check=True, stdout=io.StringIO())
    current.write_text("{}\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        call_command("openapi", output=str(current), check=True, stderr=io.StringIO())
    assert stopped.value.code == 1


def test_the_schema_documents_the_error_codes_and_the_tokens() -> None:
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["version"] == "1"
    codes = schema["components"]["schemas"]["Code"]["enum"]
    assert codes == [code.value for code in Code]
    schemes = schema["components"]["securitySchemes"]
    assert schemes["PersonalToken"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "imscan_<43 characters>",
        "description": "A personal API token, made on your account page (API tokens).",
    }
    assert schemes["LinkToken"]["scheme"] == "bearer"
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            errors = operation["responses"]["422"]["content"]["application/json"]["schema"]
            assert errors == {"$ref": "#/components/schemas/ErrorOut"}, f"{method} {path}"


@pytest.mark.django_db
def test_the_docs_page_uses_no_cdn_and_no_inline_code() -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == DOCS_CSP
    page = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts and all(" src=" in tag for tag in scripts)
    assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", page)
    for url in re.findall(r'(?:src|href)="(/static/[^"]+)"', page):
        assert finders.find(url.removeprefix("/static/")), f"{url} is not served by the app"
    assert "https://" not in page.replace("https://www.w3.org", "")
    # Without JavaScript, the page lists the operations and links the schema.
    assert 'href="/api/v1/openapi.json"' in page
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    for path in schema["paths"]:
        assert path in page


def test_the_schema_is_built_once_per_process() -> None:
    """It takes a few hundred milliseconds and is open to anyone: not on every request."""
    from imscan.api.main import api

    assert api.get_openapi_schema() is api.get_openapi_schema()
