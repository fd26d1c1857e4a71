import sys
import uuid
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandParser, no_translations
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from imscan.organisations.models import Organisation
from imscan.transfer.importer import ImportRefused, scan_from_json


class Command(BaseCommand):
    help = "Import a scan exported as JSON (imscan export --format json) as a new scan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", metavar="FILE")
        parser.add_argument(
            "--organisation",
            metavar="ORG_UUID",
            help="the organisation to import into (needed for a guided scan)",
        )

    def fail(self, message: str) -> NoReturn:
        self.stderr.write(message)
        sys.exit(1)

    @no_translations  # messages in English, like the other commands
    def handle(self, *args: Any, **options: Any) -> None:
        organisation = None
        if options["organisation"]:
            try:
                org_id = uuid.UUID(options["organisation"])
            except ValueError:
                org_id = None
            organisation = Organisation.objects.filter(public_id=org_id).first() if org_id else None
            if organisation is None:
                self.fail(_("No organisation with id %(id)s.") % {"id": options["organisation"]})
        path = Path(options["path"])
        try:
            text = path.read_bytes()
        except OSError as error:
            self.fail(
                _("Cannot read %(path)s: %(error)s")
                % {"path": path, "error": error.strerror or error}
            )
            return
        try:
            outcome = scan_from_json(text, organisation)
        except ImportRefused as error:
            self.fail(f"{path}: {error}")
            return
        scan = outcome.scan
        self.stdout.write(
            _("Imported scan %(id)s with %(n)d respondents.")
            % {"id": scan.public_id, "n": outcome.respondents}
        )
        if not outcome.result_matches:
            self.stderr.write(
                _("Warning: the result computed here differs from the one in the file.")
            )
        if outcome.token is not None:
            with translation.override(scan.language):
                link = reverse("scan-welcome", kwargs={"token": outcome.token})
            self.stdout.write(_("The respondent's private link: %(link)s") % {"link": link})
