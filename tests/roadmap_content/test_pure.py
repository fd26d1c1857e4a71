"""The roadmap content package works without Django, like the engine."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import imscan.roadmap_content

PACKAGE = Path(imscan.roadmap_content.__file__).resolve().parent


def test_no_module_of_the_package_imports_django() -> None:
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "django" for name in names), path


def test_importing_the_package_and_loading_content_loads_no_django() -> None:
    code = (
        "import sys, imscan.roadmap_content as rc; rc.shipped_content(); "
        "sys.exit(any(m.split('.')[0] == 'django' for m in sys.modules))"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
