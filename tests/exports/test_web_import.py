"""Importing a JSON export through the organisation's page: the importer's checks, a clear
message, and nothing imported when the file is refused."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from imscan.scans.models import Scan
from imscan.transfer.export import dumps, scan_to_json
from tests.factories import OrganisationFactory
from tests.reports.teams import member

from .test_transfer import resigned, team

pytestmark = pytest.mark.django_db


def upload(content: bytes) -> dict[str, SimpleUploadedFile]:
    return {"file": SimpleUploadedFile("scan.json", content, content_type="application/json")}


def test_import_a_scan_into_the_organisation(ims_version, client: Client) -> None:
    document = scan_to_json(team(ims_version))
    organisation = OrganisationFactory()
    member(client, organisation)
    url = f"/en/organisations/{organisation.public_id}/import/"
    page = client.get(url)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    assert url in client.get(f"/en/organisations/{organisation.public_id}/").content.decode()
    response = client.post(url, upload(dumps(document).encode()), follow=True)
    imported = Scan.objects.get(organisation=organisation)
    assert response.redirect_chain[-1][0] == f"/en/scans/{imported.public_id}/results/"
    assert "The scan has been imported with 9 respondents." in response.content.decode()
    assert scan_to_json(imported)["checksum"] == document["checksum"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: dumps(d)[:-5].encode(), "The file is not valid JSON"),
        (
            lambda d: dumps({**d, "checksum": "sha256:" + "0" * 64}).encode(),
            "checksum does not match",
        ),
        (
            lambda d: resigned(
                {
                    **d,
                    "payload": {
                        **d["payload"],
                        "model": {**d["payload"]["model"], "version": "9.9"},
                    },
                }
            ).encode(),
            "version 9.9 is not installed here",
        ),
    ],
)
def test_a_refused_file_imports_nothing(ims_version, client: Client, change, message: str) -> None:
    document = scan_to_json(team(ims_version))
    organisation = OrganisationFactory()
    member(client, organisation)
    response = client.post(
        f"/en/organisations/{organisation.public_id}/import/", upload(change(document))
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Nothing has been imported." in text and message in text
    assert not Scan.objects.filter(organisation=organisation).exists()


def test_a_file_is_needed(ims_version, client: Client) -> None:
    organisation = OrganisationFactory()
    member(client, organisation)
    response = client.post(f"/en/organisations/{organisation.public_id}/import/", {})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
