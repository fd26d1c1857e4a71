"""Dutch and English: both complete, switchable on every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

SRC = Path(__file__).resolve().parents[2] / "src" / "imscan"
CATALOGS = {lang: SRC / "locale" / lang / "LC_MESSAGES" / "django.po" for lang in ("nl", "en")}


def catalog(lang: str) -> dict[str, str]:
    """msgid -> msgstr (the first plural form) of a .po file, multi-line strings joined."""
    text = CATALOGS[lang].read_text(encoding="utf-8")
    entries: dict[str, str] = {}
    for block in text.split("\n\n"):
        assert "#, fuzzy" not in block or 'msgid ""\nmsgstr ""' in block, block
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
        if msgid and msgstr:
            join = lambda raw: "".join(re.findall(r'"(.*)"', raw))  # noqa: E731
            entries[join(msgid.group(1))] = join(msgstr.group(1))
    entries.pop("", None)
    return entries


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_interface_text_is_translated(lang: str) -> None:
    entries = catalog(lang)
    assert len(entries) > 100
    assert [msgid for msgid, msgstr in entries.items() if not msgstr] == []


def test_every_template_text_is_in_the_catalogs() -> None:
    """A new {% translate %} without `make makemessages` would show English on Dutch pages."""
    known = catalog("nl")
    found = set()
    for template in (SRC / "templates").rglob("*.html"):
        found.update(re.findall(r'{% translate "([^"]+)"', template.read_text(encoding="utf-8")))
    assert found, "no translatable template text found"
    assert sorted(found - known.keys()) == []


@pytest.mark.django_db
@pytest.mark.usefixtures("ims_version")
@pytest.mark.parametrize("path", ["", "method/"])
def test_every_page_links_to_itself_in_the_other_language(client: Client, path: str) -> None:
    dutch = client.get(f"/nl/{path}").content.decode()
    assert f'href="/en/{path}" hreflang="en"' in dutch
    assert '<html lang="nl"' in dutch
    english = client.get(f"/en/{path}").content.decode()
    assert f'href="/nl/{path}" hreflang="nl"' in english
    assert '<html lang="en"' in english


@pytest.mark.django_db
def test_unknown_pages_get_a_friendly_404_in_their_language(client: Client) -> None:
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()
    dutch = client.get("/nl/bestaat-niet/")
    assert dutch.status_code == 404
    assert '<html lang="nl"' in dutch.content.decode()
