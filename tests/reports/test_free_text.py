"""Names people typed (organisation, scan title, groups) that look like HTML are text on
every surface: the team page, the progress page, the shared page, the PDF and the exports."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from imscan.reports.exports import export_file
from imscan.sharing.services import share_link_create
from tests.exports.helpers import csv_rows, xlsx_rows
from tests.factories import OrganisationFactory
from tests.pdf.test_pdf import pdf_text
from tests.reports.teams import (
    guided_scan,
    member,
    model_of,
    progress_url,
    random_answers,
    team_url,
)

pytestmark = pytest.mark.django_db
ORG = "Gemeente <i>Oost</i> & Zo"
TITLE = '<script>alert("scan")</script>'
GROUP = "<b>Directie</b>"
ESCAPED = {
    ORG: "Gemeente &lt;i&gt;Oost&lt;/i&gt; &amp; Zo",
    TITLE: "&lt;script&gt;alert(&quot;scan&quot;)&lt;/script&gt;",
    GROUP: "&lt;b&gt;Directie&lt;/b&gt;",
}


def test_names_are_text_everywhere(ims_version, client: Client) -> None:
    cache.clear()
    model = model_of(ims_version)
    organisation = OrganisationFactory(name=ORG)
    scan, _ = guided_scan(
        ims_version,
        {
            GROUP: [random_answers(model, s) for s in range(3)],
            "Staff": [random_answers(model, s) for s in range(3, 6)],
        },
        organisation=organisation,
        title=TITLE,
    )
    member(client, organisation)
    pages = {
        "team": client.get(team_url(scan)).content.decode(),
        "progress": client.get(progress_url(organisation)).content.decode(),
    }
    link = share_link_create(scan=scan, created_by=None)
    pages["shared"] = client.get(f"/en/shared/{link.token}/").content.decode()
    for name, page in pages.items():
        for raw in ESCAPED:
            assert raw not in page, (name, raw)
        assert ESCAPED[TITLE] in page, name
    assert ESCAPED[GROUP] in pages["team"]

    text = pdf_text(export_file(scan, "report", "pdf", "en").content)
    assert ORG in text and TITLE in text and GROUP in text

    answers = csv_rows(export_file(scan, "answers", "csv", "en").content)
    assert GROUP in {row[1] for row in answers}
    sheet = xlsx_rows(export_file(scan, "answers", "xlsx", "en").content)
    assert GROUP in {row[1] for row in sheet}
