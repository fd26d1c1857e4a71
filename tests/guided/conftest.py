"""Fixtures for guided scans: an organisation with an owner, a scan with two groups, and
clients logged in as the people who run it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from imscan.catalog.models import ModelVersion
from imscan.organisations.models import Membership, Organisation
from imscan.scans.models import RespondentGroup, Scan
from tests.factories import GroupFactory, GuidedScanFactory, MembershipFactory


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user, "django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def owner(db: None) -> Any:
    return MembershipFactory(role=Membership.Role.OWNER).user


@pytest.fixture
def organisation(owner: Any) -> Organisation:
    return Membership.objects.get(user=owner).organisation


@pytest.fixture
def owner_client(owner: Any) -> Client:
    return logged_in(owner)


@pytest.fixture
def scan(ims_version: ModelVersion, organisation: Organisation) -> Scan:
    scan: Scan = GuidedScanFactory(
        model_version=ims_version, organisation=organisation, title="Innovatiescan 2026"
    )
    GroupFactory(scan=scan, name="Management", position=0)
    GroupFactory(scan=scan, name="Staff", position=1)
    return scan


@pytest.fixture
def management(scan: Scan) -> RespondentGroup:
    return scan.groups.get(name="Management")


@pytest.fixture
def staff(scan: Scan) -> RespondentGroup:
    return scan.groups.get(name="Staff")
