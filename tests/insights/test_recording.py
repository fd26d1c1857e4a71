"""Measurements: written when a self-scan finishes or a guided scan closes, counted by the
organisation's choice, and flagged as each organisation's latest."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import engine_model
from imscan.insights.models import Measurement, Participation
from imscan.insights.services import participation_update
from imscan.scans.guided import scan_close
from imscan.scans.models import Scan
from imscan.scans.services import answers_save, respondent_finish, self_scan_start
from tests.factories import GuidedScanFactory, OrganisationFactory, respondent_with_token
from tests.insights.helpers import answers, current, guided_scan, self_scan

pytestmark = pytest.mark.django_db


def test_finishing_a_self_scan_stores_its_figures(ims_version: ModelVersion) -> None:
    started = self_scan_start(version=ims_version, language="nl")
    answers_save(
        respondent=started.respondent,
        model=engine_model(ims_version),
        answers=answers(ims_version, 4, {"culture": 2}),
    )
    respondent_finish(respondent=started.respondent)
    measurement = Measurement.objects.get(scan=started.scan)
    assert measurement.overall_level is not None
    assert measurement.part_scores["culture"] == 2
    assert measurement.part_scores["leadership-goals"] == 4
    assert measurement.benchmark_version == ims_version
    assert measurement.respondents == 1
    assert not measurement.counted  # anonymous: nobody opted it in


def test_closing_a_guided_scan_stores_the_team_figures(ims_version: ModelVersion) -> None:
    scan = GuidedScanFactory(model_version=ims_version, anonymity_threshold=3)
    for value in (2, 3, 4):
        respondent_with_token(scan, answers=answers(ims_version, value))
    respondent_with_token(scan, answers=answers(ims_version, 5), finished=False)
    assert not Measurement.objects.filter(scan=scan).exists()  # open: nothing yet
    scan_close(scan=scan)
    measurement = Measurement.objects.get(scan=scan)
    assert measurement.respondents == 3
    assert measurement.comparable and measurement.counted and measurement.current
    assert measurement.part_scores["culture"] == pytest.approx(3)


def test_a_guided_scan_below_its_threshold_stores_no_figures(ims_version: ModelVersion) -> None:
    scan = guided_scan(OrganisationFactory(), ims_version, [2, 4], threshold=3)
    measurement = Measurement.objects.get(scan=scan)
    assert not measurement.comparable and not measurement.counted
    assert measurement.overall_score is None and measurement.part_scores == {}


def test_self_scans_count_only_when_the_organisation_opted_in(ims_version: ModelVersion) -> None:
    organisation = OrganisationFactory()
    scan = self_scan(organisation, ims_version, 3)
    assert not Measurement.objects.get(scan=scan).counted
    participation_update(organisation=organisation, benchmark=Participation.Benchmark.ALL)
    assert Measurement.objects.get(scan=scan).counted
    assert current(organisation).scan == scan


def test_withdrawing_takes_effect_at_once(ims_version: ModelVersion) -> None:
    organisation = OrganisationFactory()
    guided = guided_scan(organisation, ims_version, [3, 3, 3])
    assert current(organisation).scan == guided
    participation_update(organisation=organisation, benchmark=Participation.Benchmark.NONE)
    assert current(organisation) is None
    assert not Measurement.objects.filter(organisation=organisation, counted=True).exists()


def test_current_is_the_latest_counted_per_organisation(ims_version: ModelVersion) -> None:
    organisation = OrganisationFactory()
    now = timezone.now()
    # 400 days back always lies in an earlier calendar year than 10 days back.
    old = guided_scan(organisation, ims_version, [2, 2, 2], closed_at=now - datetime.timedelta(400))
    new = guided_scan(organisation, ims_version, [4, 4, 4], closed_at=now - datetime.timedelta(10))
    self_scan(organisation, ims_version, 5, finished_at=now)  # newest, but not opted in
    assert current(organisation).scan == new
    years = Measurement.objects.filter(organisation=organisation, latest_in_year=True)
    assert {m.scan_id for m in years} == {old.pk, new.pk}


def test_claiming_a_self_scan_makes_it_the_organisations(ims_version: ModelVersion) -> None:
    from imscan.organisations.services import scan_claim
    from tests.factories import MembershipFactory

    membership = MembershipFactory()
    participation_update(
        organisation=membership.organisation, benchmark=Participation.Benchmark.ALL
    )
    scan = self_scan(None, ims_version, 3)
    scan_claim(scan=scan, organisation=membership.organisation, user=membership.user)
    measurement = Measurement.objects.get(scan=scan)
    assert measurement.organisation == membership.organisation
    assert measurement.counted and measurement.current


def test_record_results_backfills_scans_closed_by_date(ims_version: ModelVersion) -> None:
    scan = GuidedScanFactory(model_version=ims_version)
    for value in (2, 3, 4):
        respondent_with_token(scan, answers=answers(ims_version, value))
    Scan.objects.filter(pk=scan.pk).update(closes_at=timezone.now() - datetime.timedelta(hours=1))
    finished = self_scan(None, ims_version, 3)
    Measurement.objects.filter(scan=finished).delete()  # as if it finished before this app
    call_command("record_results", verbosity=0)
    assert Measurement.objects.filter(scan__in=[scan, finished]).count() == 2
    call_command("record_results", verbosity=0)  # idempotent
    assert Measurement.objects.count() == 2


def test_a_rebuild_follows_benchmarked_as(ims_version: ModelVersion, monkeypatch) -> None:
    """When derived variants are compared with their parent, `benchmarked_as` returns the
    parent, and `record_results --rebuild` moves the stored measurements along."""
    from imscan.catalog.services import shipped_models_load

    parent = next(
        o.version for o in shipped_models_load() if o.version.model_id == "project-status"
    )
    scan = guided_scan(OrganisationFactory(), ims_version, [3, 3, 3])
    assert Measurement.objects.get(scan=scan).benchmark_version == ims_version
    monkeypatch.setattr("imscan.insights.recording.benchmarked_as", lambda version: parent)
    call_command("record_results", "--rebuild", verbosity=0)
    measurement = Measurement.objects.get(scan=scan)
    assert measurement.benchmark_version == parent and measurement.current
