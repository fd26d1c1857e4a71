"""Importing a scan exported as JSON through the web: the same checks as `imscan import`
(imscan.transfer.importer), into the organisation whose page it is started from."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from imscan.core.forms import NLDSFormMixin
from imscan.organisations.models import Organisation
from imscan.permissions import Action, for_organisation
from imscan.transfer.importer import MAX_BYTES, ImportRefused, scan_from_json


class ImportForm(NLDSFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Export file (JSON)"),
        help_text=gettext_lazy(
            "A file made by “imscan export --format json” on an IMS Scan instance."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )


@require_http_methods(["GET", "POST"])
@for_organisation(Action.CREATE_SCAN)
def scan_import(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    problem, status = "", 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > MAX_BYTES:
                    raise ImportRefused(_("The file is too large to import."))
                outcome = scan_from_json(upload.read(), organisation)
            except ImportRefused as refusal:
                problem = str(refusal)
            else:
                messages.success(
                    request,
                    _("The scan has been imported with %(n)d respondents.")
                    % {"n": outcome.respondents},
                )
                if not outcome.result_matches:
                    messages.warning(
                        request,
                        _(
                            "The result computed here differs from the one in the file: "
                            "the scoring changed between the two instances."
                        ),
                    )
                return redirect("team-results", scan_id=outcome.scan.public_id)
    context = {"organisation": organisation, "form": form, "problem": problem}
    return render(request, "transfer/import.html", context, status=status)
