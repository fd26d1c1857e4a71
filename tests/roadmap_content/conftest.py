"""Fixtures for the roadmap content tests: plain Python, no Django settings or database."""

from __future__ import annotations

import shutil
from pathlib import Path

from imscan.roadmap_content import validate_content

HERE = Path(__file__).resolve().parent
MINI = HERE / "content"
BROKEN = HERE / "broken"


def header(path: Path, key: str) -> list[str]:
    prefix = f"# {key}: "
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line[len(prefix) :] for line in lines if line.startswith(prefix)]


def copy_mini(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(MINI, root)
    return root


def place(broken: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the mini content with the broken file at its `# place:`; (root, file)."""
    root = copy_mini(tmp_path)
    [where] = header(broken, "place")
    target = root / where
    target.write_bytes(broken.read_bytes())
    return root, target


def reported(root: Path, target: Path) -> list[str]:
    """The problems, as `line:col: message` in the placed file, else `relpath:line:col: ...`."""
    lines = []
    for problem in validate_content(root):
        where = Path(problem.source)
        prefix = "" if where == target else where.relative_to(root).as_posix() + ":"
        lines.append(f"{prefix}{problem.line}:{problem.column}: {problem.message}")
    return lines
