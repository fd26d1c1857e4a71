"""Loading and validating a content directory: whole-directory rules and positions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from imscan.roadmap_content import (
    MAX_BLOCK_TEXT,
    ContentValidationError,
    load_content,
    validate_content,
)

from .conftest import copy_mini


def messages(root: Path) -> list[str]:
    return [
        f"{Path(p.source).relative_to(root).as_posix()}:{p.line}:{p.column}: {p.message}"
        for p in validate_content(root)
    ]


def test_the_mini_content_loads_with_its_lookups(tmp_path: Path) -> None:
    content = load_content(copy_mini(tmp_path))
    assert content.languages == ["nl", "en"]
    assert content.roadmap.phase_ids == ["explore", "test"]
    assert list(content.canvases) == ["alpha", "beta"]
    assert [c.id for c in content.canvases_for("test")] == ["beta"]
    assert [p.id for p in content.roadmap.phases_of("beta")] == ["explore", "test"]
    alpha = content.canvas("alpha")
    assert alpha.block_ids == ["problem", "users", "next"]
    assert alpha.block("users").placeholder == {
        "nl": "Bijvoorbeeld inwoners",
        "en": "For example residents",
    }
    assert alpha.limit("problem") == MAX_BLOCK_TEXT
    beta = content.canvas("beta")
    assert (beta.max_length, beta.limit("plan")) == (5000, 1000)
    assert alpha.layout.template_areas() == '"problem problem users" "next next users"'
    area = alpha.layout.areas["users"]
    assert (area.row, area.column, area.rows, area.columns) == (1, 3, 2, 1)
    assert list(content.phase_handouts) == ["explore", "test"]
    assert list(content.canvas_handouts) == ["alpha", "beta"]
    assert list(content.resources) == ["tips"]
    assert content.is_target("/roadmap/canvases/alpha/")
    assert content.is_target("/roadmap/canvases/alpha/#problem")
    assert not content.is_target("/roadmap/canvases/gamma/")


def test_an_empty_directory_misses_the_roadmap(tmp_path: Path) -> None:
    assert messages(tmp_path) == [
        "roadmap/roadmap.yaml:1:1: cannot read the file: No such file or directory"
    ]
    with pytest.raises(ContentValidationError):
        load_content(tmp_path)


def test_a_missing_handout_directory_means_missing_handouts(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    shutil.rmtree(root / "handouts")
    assert messages(root) == [
        "canvases/alpha.yaml:1:5: canvas 'alpha' has no handout: add handouts/canvases/alpha.yaml",
        "canvases/beta.yaml:1:5: canvas 'beta' has no handout: add handouts/canvases/beta.yaml",
        "roadmap/roadmap.yaml:12:9: phase 'explore' has no handout: "
        "add handouts/phases/explore.yaml",
        "roadmap/roadmap.yaml:20:9: phase 'test' has no handout: add handouts/phases/test.yaml",
    ]


def test_stray_files_are_reported(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    (root / "canvases" / "alpha.yml").write_text("id: alpha\n", encoding="utf-8")
    (root / "canvases" / ".hidden").write_text("ignored\n", encoding="utf-8")
    (root / "roadmap" / "notes.md").write_text("notes\n", encoding="utf-8")
    (root / "handouts" / "faq.yaml").write_text("id: faq\n", encoding="utf-8")
    (root / "handouts" / "resources" / "old").mkdir()
    assert messages(root) == [
        "canvases/alpha.yml:1:1: unexpected file: a canvas is a .yaml file in canvases/",
        "handouts/faq.yaml:1:1: unexpected file: handouts go in handouts/phases, "
        "handouts/canvases or handouts/resources",
        "handouts/resources/old:1:1: unexpected file: a handout is a .yaml file in "
        "handouts/resources/",
        "roadmap/notes.md:1:1: unexpected file: the roadmap is roadmap.yaml",
    ]


def test_a_file_that_is_not_utf8_is_a_problem_at_its_position(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    path = root / "handouts" / "resources" / "tips.yaml"
    path.write_bytes(b"id: tips\ntitle: {nl: caf\xe9}\n")
    assert messages(root) == ["handouts/resources/tips.yaml:2:16: not UTF-8 text: byte 0xe9"]


def test_a_body_over_the_limit_is_refused(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    path = root / "handouts" / "resources" / "tips.yaml"
    long = "Tekst. " * 3000  # 21 000 characters
    text = path.read_text(encoding="utf-8").replace(
        "    Begin in [de", f"    {long}\n\n    Begin in [de"
    )
    path.write_text(text, encoding="utf-8")
    assert messages(root) == [
        "handouts/resources/tips.yaml:5:7: body in 'nl' has 21074 characters, "
        "more than the 20000 allowed"
    ]


def test_every_text_needs_every_language_of_the_roadmap(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    roadmap = root / "roadmap" / "roadmap.yaml"
    text = roadmap.read_text(encoding="utf-8").replace("languages: [nl, en]", "languages: [en]")
    roadmap.write_text(text, encoding="utf-8")
    assert validate_content(root) == []  # texts may have more languages than required
    roadmap.write_text(text.replace("languages: [en]", "languages: [en, de]"), encoding="utf-8")
    found = messages(root)
    assert "canvases/alpha.yaml:3:8: missing translation 'de' in title" in found
    assert "handouts/resources/tips.yaml:5:3: missing translation 'de' in body" in found
    assert "roadmap/roadmap.yaml:5:8: missing translation 'de' in title" in found
    assert all("missing translation 'de'" in line for line in found)


def test_problems_inside_a_literal_block_point_into_the_text(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    path = root / "handouts" / "resources" / "tips.yaml"
    path.write_text(
        "id: tips\n"
        "title: {nl: Tips, en: Tips}\n"
        "summary: {nl: Tips., en: Tips.}\n"
        "body:\n"
        "  nl: |\n"
        "      Inspringen mag.\n"
        "      Een <em>tag</em> niet.\n"
        "  en: |-\n"
        "\n"
        "    First line after a blank one, then a [bad link](/roadmap/nope/).\n",
        encoding="utf-8",
    )
    assert messages(root) == [
        "handouts/resources/tips.yaml:7:11: raw HTML ('<em') is not allowed: "
        "texts are shown as written",
        "handouts/resources/tips.yaml:7:18: raw HTML ('</em') is not allowed: "
        "texts are shown as written",
        "handouts/resources/tips.yaml:10:53: link '/roadmap/nope/' leads nowhere: roadmap "
        "pages are /roadmap/, /roadmap/phases/ID/, /roadmap/canvases/ID/ and "
        "/roadmap/resources/ID/",
    ]


def test_model_links_into_the_roadmap_are_checked(tmp_path: Path) -> None:
    root = copy_mini(tmp_path)
    models = root / "models"
    models.mkdir()
    (models / "broken.yaml").write_text(": not a model\n  - at all\n", encoding="utf-8")
    (models / "m.yaml").write_text(
        "id: m\n"
        "dimensions:\n"
        "  - id: group\n"
        "    children:\n"
        "      - id: part\n"
        "        advice:\n"
        "          1:\n"
        "            links:\n"
        "              - {title: {en: Fine}, url: /roadmap/canvases/alpha/}\n"
        "              - {title: {en: Gone}, url: /roadmap/canvases/gamma/}\n"
        "              - {title: {en: Elsewhere}, url: https://example.org/roadmap/}\n"
        "              - {title: {en: Other page}, url: /scans/}\n"
        "          2:\n"
        "            links:\n"
        "              - {title: {en: Phase}, url: /roadmap/phases/explore/}\n"
        "              - {title: {en: Resource}, url: /roadmap/resources/none/}\n",
        encoding="utf-8",
    )
    assert messages(root) == [
        "models/m.yaml:10:42: link '/roadmap/canvases/gamma/' leads nowhere: "
        "there is no canvas 'gamma'",
        "models/m.yaml:16:46: link '/roadmap/resources/none/' leads nowhere: "
        "there is no resource page 'none'",
    ]
