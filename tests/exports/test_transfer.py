"""The JSON export of a whole scan and its import: the round trip, and every refusal."""

from __future__ import annotations

import json

import pytest

from imscan.catalog.models import ModelVersion
from imscan.scans.models import Answer, Respondent, RespondentGroup, Scan
from imscan.scans.tokens import token_hash
from imscan.transfer.export import FORMAT_VERSION, checksum, dumps, scan_to_json
from imscan.transfer.importer import ImportRefused, scan_from_json
from tests.factories import OrganisationFactory, respondent_with_token
from tests.reports.teams import guided_scan, model_of, random_answers, uniform

from .helpers import self_scan

pytestmark = pytest.mark.django_db


def team(version: ModelVersion) -> Scan:
    model = model_of(version)
    scan, groups = guided_scan(
        version,
        {
            "Management": [random_answers(model, seed) for seed in range(3)],
            "Staff": [random_answers(model, seed) for seed in range(3, 8)],
        },
        title="Teamscan <b>2026</b>",
    )
    respondent_with_token(scan, None, random_answers(model, 99))  # without a group
    respondent_with_token(scan, groups["Staff"], uniform(model, 1.0), finished=False)
    return scan


def strip(document: dict) -> dict:
    """The parts that must survive a round trip (everything but the checksum)."""
    return document["payload"]


def test_round_trip_guided(ims_version) -> None:
    scan = team(ims_version)
    first = scan_to_json(scan)
    org = OrganisationFactory()
    outcome = scan_from_json(dumps(first), org)
    assert outcome.result_matches and outcome.token is None
    assert outcome.scan.pk != scan.pk and outcome.scan.public_id != scan.public_id
    assert outcome.scan.organisation == org
    second = scan_to_json(Scan.objects.get(pk=outcome.scan.pk))
    assert strip(second) == strip(first)
    assert second["checksum"] == first["checksum"]
    payload = first["payload"]
    assert len(payload["respondents"]) == 9  # finished only
    assert payload["result"]["respondents"] == 9
    assert [g["name"] for g in payload["groups"]] == ["Management", "Staff"]


def test_round_trip_self_scan_unclaimed(ims_version) -> None:
    scan = self_scan(ims_version, 2.0, title="Mijn scan")
    first = scan_to_json(scan)
    outcome = scan_from_json(dumps(first))
    assert outcome.scan.organisation is None and outcome.scan.kind == Scan.Kind.SELF
    respondent = Respondent.objects.get(scan=outcome.scan)
    assert respondent.token_hash == token_hash(outcome.token)
    assert strip(scan_to_json(outcome.scan)) == strip(first)
    assert first["payload"]["result"]["overall"]["score"] is not None


def test_no_personal_data(ims_version) -> None:
    model = model_of(ims_version)
    scan, groups = guided_scan(ims_version, {"A": [uniform(model, 3.0)] * 2})
    respondent, token = respondent_with_token(
        scan, groups["A"], uniform(model, 4.0), email="private@example.org"
    )
    text = dumps(scan_to_json(scan))
    assert "private@example.org" not in text
    assert token not in text and respondent.token_hash not in text
    assert [r["number"] for r in json.loads(text)["payload"]["respondents"]] == [1, 2, 3]


def refused(text: str | bytes, match: str, organisation=None) -> None:
    scans, answers = Scan.objects.count(), Answer.objects.count()
    with pytest.raises(ImportRefused, match=match):
        scan_from_json(text, organisation)
    assert Scan.objects.count() == scans and Answer.objects.count() == answers


def resigned(document: dict) -> str:
    document["checksum"] = checksum(document["payload"])
    return dumps(document)


def test_refuses_malformed_json(ims_version) -> None:
    refused("{not json", "not valid JSON")
    refused(b"\xff\xfe", "not valid JSON")
    refused("[]", "not an IMS Scan scan export")
    refused(json.dumps({"format": "other"}), "not an IMS Scan scan export")


def test_refuses_other_format_version(ims_version) -> None:
    document = scan_to_json(self_scan(ims_version))
    document["format_version"] = FORMAT_VERSION + 1
    refused(dumps(document), "Format version 2 is not supported")


def test_refuses_tampering(ims_version) -> None:
    document = scan_to_json(self_scan(ims_version))
    first = next(iter(document["payload"]["respondents"][0]["answers"]))
    document["payload"]["respondents"][0]["answers"][first] = 5.0
    refused(dumps(document), "checksum does not match")
    document = scan_to_json(self_scan(ims_version))
    document["checksum"] = "sha256:" + "0" * 64
    refused(dumps(document), "checksum does not match")
    del document["checksum"]
    refused(dumps(document), "missing or unknown fields")


def test_refuses_unknown_model(ims_version) -> None:
    document = scan_to_json(self_scan(ims_version))
    document["payload"]["model"]["version"] = "99.0"
    refused(resigned(document), "version 99.0 is not installed here")
    document["payload"]["model"]["version"] = ims_version.version
    document["payload"]["model"]["id"] = "other-model"
    refused(resigned(document), "other-model")


def test_refuses_other_content_hash(ims_version) -> None:
    document = scan_to_json(self_scan(ims_version))
    document["payload"]["model"]["content_hash"] = "f" * 64
    refused(resigned(document), "different content")


def test_refuses_answers_off_the_scale(ims_version) -> None:
    document = scan_to_json(self_scan(ims_version))
    answers = document["payload"]["respondents"][0]["answers"]
    answers[next(iter(answers))] = 7.0
    refused(resigned(document), "7.0 is not a value of the scale")
    answers[next(iter(answers))] = 3.0
    answers["no-such-statement"] = 3.0
    refused(resigned(document), "unknown statement")


def test_refuses_bad_shape(ims_version) -> None:
    document = scan_to_json(self_scan(ims_version))
    document["payload"]["respondents"][0]["answers"] = {"x": "3"}
    refused(resigned(document), "respondents.0.answers")
    document = scan_to_json(self_scan(ims_version))
    document["payload"]["scan"]["kind"] = "secret"
    refused(resigned(document), "scan.kind")
    document = scan_to_json(self_scan(ims_version))
    document["payload"]["respondents"][0]["group"] = "g9"
    refused(resigned(document), "unknown group")


def test_guided_scan_needs_an_organisation(ims_version) -> None:
    text = dumps(scan_to_json(team(ims_version)))
    refused(text, "choose one")
    assert RespondentGroup.objects.count() == 2  # only the original's
