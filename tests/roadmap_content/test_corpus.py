"""Broken content files: each is put into a copy of a small valid content directory, and
reports exactly the problems in its `# expect:` lines (`line:col: message` for problems in
the file itself, `path:line:col: message` for problems it causes in other files)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from imscan.engine import yamlpos
from imscan.roadmap_content import ContentValidationError, load_content, validate_content

from .conftest import BROKEN, MINI, header, place, reported

BROKEN_FILES = sorted(BROKEN.glob("*.yaml"))
LOADERS = {"libyaml": getattr(yaml, "CSafeLoader", None), "python": yaml.SafeLoader}


def test_the_mini_content_is_valid() -> None:
    assert validate_content(MINI) == []


def test_the_corpus_covers_the_rules() -> None:
    assert len(BROKEN_FILES) >= 25
    places = {header(path, "place")[0].split("/")[0] for path in BROKEN_FILES}
    assert places == {"roadmap", "canvases", "handouts"}
    assert all(header(path, "expect") for path in BROKEN_FILES)


@pytest.mark.parametrize("loader", LOADERS.values(), ids=LOADERS.keys())
@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda path: path.stem)
def test_broken_file_reports_exactly_its_expected_problems(
    path: Path, loader: type | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if loader is None:
        pytest.skip("PyYAML without libyaml")
    monkeypatch.setattr(yamlpos, "_Loader", loader)
    root, target = place(path, tmp_path)
    assert reported(root, target) == header(path, "expect")


@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda path: path.stem)
def test_broken_content_does_not_load(path: Path, tmp_path: Path) -> None:
    root, _ = place(path, tmp_path)
    with pytest.raises(ContentValidationError) as caught:
        load_content(root)
    assert caught.value.problems == validate_content(root)
    assert str(caught.value).splitlines() == [str(p) for p in caught.value.problems]


def test_windows_line_ends_keep_positions(tmp_path: Path) -> None:
    broken = BROKEN / "handout-markdown-subset.yaml"
    root, target = place(broken, tmp_path)
    target.write_bytes(broken.read_bytes().replace(b"\n", b"\r\n"))
    assert reported(root, target) == header(broken, "expect")
