import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from imscan.engine.cli import validate_main


class Command(BaseCommand):
    help = "Validate model files; print every problem as file:line:column: message."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")

    def handle(self, *args: Any, **options: Any) -> None:
        # The engine writes whole lines itself; Django would add a newline per write().
        self.stdout.ending = self.stderr.ending = ""
        code = validate_main(options["paths"], self.stdout)
        if code:
            sys.exit(code)
