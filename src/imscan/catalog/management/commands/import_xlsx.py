import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from imscan.authoring import MAX_BYTES
from imscan.authoring.cli import import_main


class Command(BaseCommand):
    help = (
        "Read an XLSX workbook (as written by export_xlsx) into a model file; every problem "
        "is reported with its sheet, row and column, and nothing is written then."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("xlsx_path", metavar="FILE")
        parser.add_argument(
            "--output", "-o", required=True, metavar="MODEL_FILE", help="the model file to write"
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=MAX_BYTES,
            help=f"refuse larger workbooks (default {MAX_BYTES})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The authoring module writes whole lines itself.
        self.stdout.ending = self.stderr.ending = ""
        code = import_main(
            options["xlsx_path"],
            options["output"],
            self.stdout,
            self.stderr,
            max_bytes=options["max_bytes"],
        )
        if code:
            sys.exit(code)
