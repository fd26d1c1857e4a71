import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from imscan.authoring.cli import export_main


class Command(BaseCommand):
    help = (
        "Write a model file as an XLSX workbook to edit in a spreadsheet "
        "(read it back with import_xlsx)."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("model_path", metavar="MODEL_FILE")
        parser.add_argument(
            "--output", "-o", required=True, metavar="FILE", help="the .xlsx to write"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The authoring module writes whole lines itself.
        self.stdout.ending = self.stderr.ending = ""
        code = export_main(options["model_path"], options["output"], self.stdout, self.stderr)
        if code:
            sys.exit(code)
