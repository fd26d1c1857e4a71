"""The engine must work without Django: other tools and the CLI import it on its own."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import imscan.engine

ENGINE = Path(imscan.engine.__file__).resolve().parent


def test_no_module_of_the_engine_imports_django() -> None:
    for path in ENGINE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "django" for name in names), path


def test_importing_the_engine_loads_no_django() -> None:
    code = (
        "import sys, imscan.engine, imscan.engine.cli; "
        "sys.exit(any(m.split('.')[0] == 'django' for m in sys.modules))"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
