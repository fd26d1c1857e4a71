"""Downloading exports: team-export for the organisation, scan-export for a self-scan's
own respondent."""

from __future__ import annotations

import pytest
from django.test import Client

from imscan.scans.models import Scan
from tests.factories import UserFactory, respondent_with_token
from tests.reports.teams import guided_scan, member, model_of, random_answers, uniform

from .helpers import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db


def team_export(scan: Scan, kind: str, fmt: str, lang: str = "en") -> str:
    return f"/{lang}/scans/{scan.public_id}/export/{kind}.{fmt}"


def test_team_export_for_members(ims_version, client: Client) -> None:
    model = model_of(ims_version)
    scan, _ = guided_scan(ims_version, {"A": [random_answers(model, s) for s in range(3)]})
    member(client, scan.organisation)
    response = client.get(team_export(scan, "answers", "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="imscan-{scan.public_id}-answers-en.csv"'
    )
    assert csv_rows(response.content)[0][0] == "respondent"
    response = client.get(team_export(scan, "scores", "xlsx"))
    assert response.status_code == 200
    assert xlsx_rows(response.content)[1][1] == "overall"


@pytest.mark.parametrize(("kind", "fmt"), [("plans", "csv"), ("answers", "pdf"), ("x", "json")])
def test_bad_kind_or_format_is_404(ims_version, client: Client, kind: str, fmt: str) -> None:
    model = model_of(ims_version)
    scan, _ = guided_scan(ims_version, {"A": [uniform(model, 3.0)] * 3})
    member(client, scan.organisation)
    assert client.get(team_export(scan, kind, fmt)).status_code == 404


def test_outsiders_get_404_and_visitors_the_login(ims_version, client: Client) -> None:
    model = model_of(ims_version)
    scan, _ = guided_scan(ims_version, {"A": [uniform(model, 3.0)] * 3})
    response = client.get(team_export(scan, "answers", "csv"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(team_export(scan, "answers", "csv")).status_code == 404


def test_open_scan_is_not_exported(ims_version, client: Client) -> None:
    model = model_of(ims_version)
    scan, _ = guided_scan(ims_version, {"A": [uniform(model, 3.0)] * 3}, closed_at=None)
    member(client, scan.organisation)
    response = client.get(team_export(scan, "answers", "csv"))
    assert response.status_code == 409 and b"closed" in response.content


def test_respondent_downloads_own_self_scan(ims_version, client: Client) -> None:
    scan = Scan.objects.create(model_version=ims_version, kind=Scan.Kind.SELF, language="nl")
    _, token = respondent_with_token(scan, None, uniform(model_of(ims_version), 5.0))
    response = client.get(f"/nl/scan/{token}/export/answers.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert xlsx_rows(response.content)[1][5] == 5
    assert client.get(f"/nl/scan/{token}/export/answers.txt").status_code == 404


def test_respondent_before_finishing_goes_to_review(ims_version, client: Client) -> None:
    scan = Scan.objects.create(model_version=ims_version, kind=Scan.Kind.SELF, language="nl")
    _, token = respondent_with_token(scan, None, {}, finished=False)
    response = client.get(f"/nl/scan/{token}/export/scores.csv")
    assert response.status_code == 302 and response["Location"].endswith("/review/")


def test_guided_respondent_cannot_export(ims_version, client: Client) -> None:
    model = model_of(ims_version)
    scan, groups = guided_scan(ims_version, {"A": [uniform(model, 3.0)] * 3})
    _, token = respondent_with_token(scan, groups["A"], uniform(model, 3.0))
    assert client.get(f"/en/scan/{token}/export/answers.csv").status_code == 404
