from __future__ import annotations

from django.test import Client
from django.urls import reverse

from imscan.scans.models import Respondent
from imscan.scans.selectors import respondent_by_token


def start_scan(client: Client, language: str = "nl", model: str = "ims-gov") -> str:
    """Start a self-scan through the web form; returns the private token from the redirect."""
    response = client.post(f"/{language}/scan/start/", {"model": model})
    assert response.status_code == 302, response.content
    token = response["Location"].rstrip("/").split("/")[-1]
    assert reverse("scan-welcome", kwargs={"token": token}).endswith(f"/{token}/")
    return token


def respondent(token: str) -> Respondent:
    found = respondent_by_token(token)
    assert found is not None
    return found


def answers_of(token: str) -> dict[str, float | None]:
    return dict(respondent(token).answers.values_list("statement_id", "value"))
