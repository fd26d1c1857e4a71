"""`imscan validate_roadmap [DIR]`: exit 0 for valid content, 1 with file:line:column."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from imscan.roadmap_content import validate_roadmap_main

from .conftest import BROKEN, copy_mini, place


def test_the_shipped_content_passes_by_default() -> None:
    out = io.StringIO()
    assert validate_roadmap_main([], out) == 0
    assert out.getvalue() == ""


def test_problems_are_printed_one_per_line(tmp_path: Path) -> None:
    root, target = place(BROKEN / "canvas-orphan.yaml", tmp_path)
    out = io.StringIO()
    assert validate_roadmap_main([str(copy_mini(tmp_path / "ok")), str(root)], out) == 1
    assert out.getvalue().splitlines() == [
        f"{target}:5:5: canvas 'gamma' has no handout: add handouts/canvases/gamma.yaml",
        f"{target}:5:5: canvas 'gamma' is not used by any phase: add it to the canvases of "
        "a phase in roadmap/roadmap.yaml",
    ]


def test_a_path_that_is_not_a_directory(tmp_path: Path) -> None:
    out = io.StringIO()
    assert validate_roadmap_main([str(tmp_path / "nope")], out) == 1
    assert (
        out.getvalue() == f"{tmp_path / 'nope'}:1:1: not a directory: give the content directory\n"
    )


def test_the_management_command(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("validate_roadmap", stdout=out)
    assert out.getvalue() == ""
    root, _ = place(BROKEN / "roadmap-unknown-canvas.yaml", tmp_path)
    with pytest.raises(SystemExit) as exited:
        call_command("validate_roadmap", str(root), stdout=out)
    assert exited.value.code == 1
    assert "unknown canvas 'gamma'" in out.getvalue()


def test_the_console_script() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-m", "imscan", "validate_roadmap"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
