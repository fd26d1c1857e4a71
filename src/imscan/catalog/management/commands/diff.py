import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from imscan.engine.cli import diff_main


class Command(BaseCommand):
    help = (
        "Show what changed between two model files and which scores stay comparable. "
        "Exit 0 when identical, 1 when different, 2 when a file does not load."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("old_path", metavar="OLD")
        parser.add_argument("new_path", metavar="NEW")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        # The engine writes whole lines itself; Django would add a newline per write().
        self.stdout.ending = self.stderr.ending = ""
        code = diff_main(
            options["old_path"],
            options["new_path"],
            self.stdout,
            self.stderr,
            as_json=options["json"],
        )
        if code:
            sys.exit(code)
