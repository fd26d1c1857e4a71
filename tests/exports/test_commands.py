"""imscan export and imscan import."""

from __future__ import annotations

import json
import uuid

import pytest

from imscan.scans.models import Scan
from tests.factories import OrganisationFactory
from tests.reports.teams import guided_scan, model_of, random_answers

from .helpers import csv_rows, run, self_scan, xlsx_rows

pytestmark = pytest.mark.django_db


def test_export_csv_xlsx_json_and_import(ims_version, tmp_path) -> None:
    model = model_of(ims_version)
    scan, _ = guided_scan(ims_version, {"A": [random_answers(model, s) for s in range(3)]})
    out = tmp_path / "a.csv"
    code, stdout, err = run("export", str(scan.public_id), "--format", "csv", "--output", str(out))
    assert (code, err) == (0, "") and str(out) in stdout
    assert len(csv_rows(out.read_bytes())) == 1 + 3 * 60
    out = tmp_path / "s.xlsx"
    args = ["--format", "xlsx", "--what", "scores", "--language", "en", "--output", str(out)]
    assert run("export", str(scan.public_id), *args)[0] == 0
    assert xlsx_rows(out.read_bytes())[1][1] == "overall"
    out = tmp_path / "scan.json"
    assert run("export", str(scan.public_id), "--format", "json", "--output", str(out))[0] == 0
    org = OrganisationFactory()
    code, stdout, err = run("import", str(out), "--organisation", str(org.public_id))
    assert code == 0 and "3 respondents" in stdout and err == ""
    assert Scan.objects.filter(organisation=org).count() == 1


def test_import_self_scan_prints_the_link(ims_version, tmp_path) -> None:
    scan = self_scan(ims_version)
    out = tmp_path / "scan.json"
    assert run("export", str(scan.public_id), "--format", "json", "--output", str(out))[0] == 0
    code, stdout, _ = run("import", str(out))
    assert code == 0 and "/nl/scan/" in stdout


def test_export_bad_input(ims_version, tmp_path) -> None:
    scan = self_scan(ims_version)
    out = str(tmp_path / "x")
    code, _, err = run("export", "nonsense", "--format", "csv", "--output", out)
    assert code == 1 and "not a scan id" in err
    code, _, err = run("export", str(uuid.uuid4()), "--format", "csv", "--output", out)
    assert code == 1 and "No scan" in err
    code, _, err = run(
        "export", str(scan.public_id), "--format", "csv", "--output", str(tmp_path / "no/x")
    )
    assert code == 1 and "Cannot write" in err
    model = model_of(ims_version)
    open_scan, _ = guided_scan(ims_version, {"A": [random_answers(model, 1)] * 3}, closed_at=None)
    code, _, err = run("export", str(open_scan.public_id), "--format", "csv", "--output", out)
    assert code == 1 and "closed" in err


def test_import_bad_input(ims_version, tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    code, _, err = run("import", str(bad))
    assert code == 1 and "not valid JSON" in err
    code, _, err = run("import", str(tmp_path / "missing.json"))
    assert code == 1 and "Cannot read" in err
    scan = self_scan(ims_version)
    out = tmp_path / "scan.json"
    run("export", str(scan.public_id), "--format", "json", "--output", str(out))
    code, _, err = run("import", str(out), "--organisation", str(uuid.uuid4()))
    assert code == 1 and "No organisation" in err
    document = json.loads(out.read_text())
    document["payload"]["scan"]["title"] = "changed"
    out.write_text(json.dumps(document))
    code, _, err = run("import", str(out))
    assert code == 1 and "checksum" in err
