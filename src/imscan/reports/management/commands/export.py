import sys
import uuid
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser, no_translations
from django.utils.translation import gettext as _

from imscan.permissions import scan_by_public_id
from imscan.plans import exports as plan_exports
from imscan.plans import selectors as plan_selectors
from imscan.plans.presenters import plan_view_of
from imscan.reports.exports import ExportUnavailable, export_file
from imscan.scans.models import Scan
from imscan.transfer.export import dumps, scan_to_json


class Command(BaseCommand):
    help = (
        "Export a scan's answers, scores or development plan (CSV, XLSX), its report (PDF) "
        "or the whole scan (JSON) to a file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("scan_id", metavar="SCAN_ID", help="the scan's public id (a UUID)")
        parser.add_argument("--format", required=True, choices=["csv", "xlsx", "json", "pdf"])
        parser.add_argument("--language", choices=["nl", "en"], help="default: the scan's")
        parser.add_argument(
            "--what",
            choices=["answers", "scores", "plan"],
            default="answers",
            help="CSV and XLSX: the answers, the scores or the development plan",
        )
        parser.add_argument("--output", required=True, metavar="FILE")

    def fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        sys.exit(1)

    @no_translations  # messages in English, like the other commands
    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["format"]
        try:
            scan_id = uuid.UUID(options["scan_id"])
        except ValueError:
            self.fail(_("%(id)s is not a scan id (a UUID).") % {"id": options["scan_id"]})
        scan = scan_by_public_id(scan_id)
        if scan is None:
            self.fail(_("No scan with id %(id)s.") % {"id": scan_id})
            return
        output = Path(options["output"])
        try:
            if fmt == "json":
                content = dumps(scan_to_json(scan)).encode()
            elif options["what"] == "plan" and fmt in plan_exports.FORMATS:
                content = self.plan(scan, fmt, options["language"] or scan.language)
            else:
                lang = options["language"] or scan.language
                kind = "report" if fmt == "pdf" else options["what"]
                content = export_file(scan, kind, fmt, lang).content
            output.write_bytes(content)
        except ExportUnavailable as error:
            self.fail(str(error))
        except OSError as error:
            self.fail(
                _("Cannot write %(path)s: %(error)s")
                % {"path": output, "error": error.strerror or error}
            )
        self.stdout.write(_("Written: %(path)s") % {"path": output})

    def plan(self, scan: Scan, fmt: str, lang: str) -> bytes:
        plan = plan_selectors.plan_for_source(scan)
        if plan is None:
            self.fail(_("This scan has no development plan."))
        view = plan_view_of(plan_selectors.plan_with_contents(plan), scan, lang)
        return plan_exports.plan_file(view, fmt, lang).content
