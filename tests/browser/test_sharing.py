"""The share page and the shared report in Chromium: make a link, open it in a fresh profile.

Uses the browser fixtures of tests/browser/conftest.py (IMSCAN_SCREENSHOTS keeps screenshots).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from imscan.catalog.models import ModelVersion
from imscan.sharing.models import ShareLink
from tests.factories import MembershipFactory
from tests.sharing.helpers import closed_guided

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_share_and_open_in_a_browser(
    live_server: Any,
    ims_version: ModelVersion,
    new_context: Callable[..., Any],
    screenshot: Callable[[Any, str], None],
) -> None:
    scan, _ = closed_guided(ims_version)
    user = MembershipFactory(organisation=scan.organisation).user
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    context = new_context()
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": "sessionid", "value": session, "domain": host, "path": "/"}])
    page = context.new_page()
    page.goto(f"{live_server.url}/nl/scans/{scan.public_id}/share/")
    page.fill("#id_label", "voor het managementteam <b>MT</b>")
    page.locator("form[action$='/share/'] button[type=submit]").click()
    url = page.input_value("#new-share-url")
    assert "/nl/shared/" in url
    screenshot(page, "sharing-links-nl")
    viewer = new_context().new_page()
    response = viewer.goto(url)
    assert response is not None and response.status == 200
    assert viewer.locator(".imscan-shared-banner").count() == 1
    screenshot(viewer, "sharing-shared-report-nl")
    assert ShareLink.objects.get().view_count == 1
