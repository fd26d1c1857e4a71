"""`imscan validate_roadmap`, as a plain function: the management command calls it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from imscan.engine.cli import Output

from .validate import CONTENT_DIR, validate_content


def validate_roadmap_main(paths: Sequence[str], out: Output) -> int:
    """Check content directories (default: the shipped one); print every problem.

    Prints one `file:line:column: message` per problem and returns 1 if there was any,
    else 0 (and prints nothing).
    """
    failed = False
    for path in paths or [str(CONTENT_DIR)]:
        if not Path(path).is_dir():
            print(f"{path}:1:1: not a directory: give the content directory", file=out)
            failed = True
            continue
        for problem in validate_content(path):
            print(problem, file=out)
            failed = True
    return 1 if failed else 0
