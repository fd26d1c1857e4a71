"""Anonymous group links: shown once, replaced or withdrawn, joined up to their cap."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from imscan.scans import guided
from imscan.scans.models import Respondent, RespondentGroup, Scan
from imscan.scans.services import ScanNotOpen
from imscan.scans.tokens import token_hash
from tests.factories import respondent_with_token
from tests.guided.helpers import JOIN_LINK


def make_link(client: Client, scan: Scan, group: RespondentGroup, cap: object = 10) -> Any:
    return client.post(
        f"/en/scans/{scan.public_id}/groups/{group.pk}/link/", {f"link-{group.pk}-cap": cap}
    )


def shown_link(response: Any) -> str:
    found = JOIN_LINK.findall(response.content.decode())
    assert len(found) == 1
    return str(found[0])


def test_a_new_link_is_shown_once_and_only_its_hash_stored(
    owner_client: Client, scan: Scan, staff: RespondentGroup
) -> None:
    response = make_link(owner_client, scan, staff, 25)
    assert response.status_code == 200
    page = response.content.decode()
    assert "it is shown only this once" in page
    assert "no-store" in response["Cache-Control"]
    path = shown_link(response)
    assert path.startswith("/nl/join/")  # opens in the scan's language
    token = path.rstrip("/").rsplit("/", 1)[1]
    staff.refresh_from_db()
    assert staff.link_token_hash == token_hash(token)
    assert staff.link_cap == 25
    again = owner_client.get(f"/en/scans/{scan.public_id}/").content.decode()
    assert token not in again
    assert "The link is active: 0 of at most 25 people have joined through it." in again


def test_a_replaced_link_stops_working(
    owner_client: Client, scan: Scan, staff: RespondentGroup
) -> None:
    old = shown_link(make_link(owner_client, scan, staff))
    response = make_link(owner_client, scan, staff)
    assert "The previous link of this group no longer works." in response.content.decode()
    new = shown_link(response)
    assert new != old
    gone = Client().get(old.replace("/nl/", "/en/"))
    assert gone.status_code == 404
    assert "This group link does not work" in gone.content.decode()
    assert Client().post(old).status_code == 404
    assert Respondent.objects.count() == 0
    assert Client().get(new).status_code == 200


def test_a_withdrawn_link_stops_working(
    owner_client: Client, scan: Scan, staff: RespondentGroup
) -> None:
    link = shown_link(make_link(owner_client, scan, staff))
    response = owner_client.post(f"/en/scans/{scan.public_id}/groups/{staff.pk}/link/remove/")
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.link_token_hash is None and staff.link_cap is None
    assert Client().get(link).status_code == 404
    assert Client().post(link).status_code == 404
    assert Respondent.objects.count() == 0


@pytest.mark.parametrize(
    ("cap", "message"),
    [
        ("", "This field is required."),
        ("0", "greater than or equal to 1"),
        ("1001", "less than or equal to 1000"),
        ("veel", "Enter a whole number."),
    ],
)
def test_a_bad_cap_changes_nothing(
    owner_client: Client, scan: Scan, staff: RespondentGroup, cap: str, message: str
) -> None:
    staff.link_token_hash, staff.link_cap = token_hash("x" * 43), 5
    staff.save()
    response = make_link(owner_client, scan, staff, cap)
    assert response.status_code == 400
    assert message in response.content.decode()
    staff.refresh_from_db()
    assert staff.link_token_hash == token_hash("x" * 43) and staff.link_cap == 5


def test_the_cap_must_leave_room_for_someone_new(
    owner_client: Client, scan: Scan, staff: RespondentGroup
) -> None:
    for _n in range(3):
        respondent_with_token(scan, staff, finished=False)
    response = make_link(owner_client, scan, staff, 3)
    assert response.status_code == 400
    assert "3 people have already joined this group through a link" in response.content.decode()
    staff.refresh_from_db()
    assert staff.link_token_hash is None


def test_a_group_of_another_scan_is_not_found(
    owner_client: Client, scan: Scan, ims_version: object
) -> None:
    from tests.factories import GroupFactory, GuidedScanFactory

    other = GroupFactory(scan=GuidedScanFactory(model_version=ims_version))
    response = make_link(owner_client, scan, other)
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.link_token_hash is None


def test_a_closed_scan_makes_no_links(
    owner_client: Client, scan: Scan, staff: RespondentGroup
) -> None:
    scan.closed_at = timezone.now()
    scan.save()
    response = make_link(owner_client, scan, staff)
    assert response.status_code == 409
    assert "This scan is closed" in response.content.decode()
    staff.refresh_from_db()
    assert staff.link_token_hash is None


# ---- joining ----


def link_for(group: RespondentGroup, cap: int = 10) -> str:
    return guided.group_link_create(group=group, cap=cap)


def test_the_join_page_welcomes_and_starts_a_personal_scan(
    scan: Scan, staff: RespondentGroup
) -> None:
    scan.closes_at = timezone.now() + datetime.timedelta(days=5)
    scan.save()
    token = link_for(staff)
    client = Client()
    page = client.get(f"/en/join/{token}/").content.decode()
    assert scan.organisation is not None and scan.organisation.name in page
    assert "Innovatiescan 2026" in page and "Staff" in page
    assert "Open until" in page
    assert ">Start</button>" in page
    response = client.post(f"/en/join/{token}/")
    assert response.status_code == 302
    personal = response["Location"].rstrip("/").rsplit("/", 1)[1]
    assert response["Location"] == f"/en/scan/{personal}/"
    respondent = Respondent.objects.get()
    assert respondent.group == staff and respondent.email == ""
    assert respondent.token_hash == token_hash(personal)
    welcome = client.get(response["Location"]).content.decode()
    assert f"http://testserver/en/scan/{personal}/" in welcome  # the link to keep
    assert "Staff" in welcome and "Innovatiescan 2026" in welcome


def test_each_join_is_a_new_respondent(scan: Scan, staff: RespondentGroup) -> None:
    token = link_for(staff)
    first = Client().post(f"/en/join/{token}/")["Location"]
    second = Client().post(f"/en/join/{token}/")["Location"]
    assert first != second
    assert Respondent.objects.filter(group=staff).count() == 2


def test_a_full_link_refuses_and_changes_nothing(scan: Scan, staff: RespondentGroup) -> None:
    token = link_for(staff, cap=2)
    Client().post(f"/en/join/{token}/")
    Client().post(f"/en/join/{token}/")
    page = Client().get(f"/en/join/{token}/").content.decode()
    assert "This group is full" in page and ">Start</button>" not in page
    response = Client().post(f"/en/join/{token}/")
    assert response.status_code == 409
    assert "This group is full" in response.content.decode()
    assert Respondent.objects.count() == 2
    with pytest.raises(guided.LinkFull):
        guided.group_join(token=token)
    assert Respondent.objects.count() == 2


def test_invited_respondents_do_not_count_towards_the_cap(
    scan: Scan, staff: RespondentGroup
) -> None:
    respondent_with_token(scan, staff, email="an@example.org", finished=False)
    token = link_for(staff, cap=1)
    assert Client().post(f"/en/join/{token}/").status_code == 302
    assert Client().post(f"/en/join/{token}/").status_code == 409


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"closed_at": timezone.now}, "This scan has closed"),
        ({"opens_at": lambda: timezone.now() + datetime.timedelta(days=2)}, "This scan opens on"),
    ],
)
def test_a_scan_that_is_not_open_lets_nobody_join(
    scan: Scan, staff: RespondentGroup, change: dict[str, object], message: str
) -> None:
    token = link_for(staff)
    for field, value in change.items():
        setattr(scan, field, value())
    scan.save()
    page = Client().get(f"/en/join/{token}/").content.decode()
    assert message in page and ">Start</button>" not in page
    response = Client().post(f"/en/join/{token}/")
    assert response.status_code == 409
    assert message in response.content.decode()
    assert Respondent.objects.count() == 0
    with pytest.raises(ScanNotOpen):
        guided.group_join(token=token)


def test_a_scan_past_its_closing_date_lets_nobody_join(scan: Scan, staff: RespondentGroup) -> None:
    token = link_for(staff)
    Scan.objects.filter(pk=scan.pk).update(closes_at=timezone.now() - datetime.timedelta(hours=1))
    response = Client().post(f"/en/join/{token}/")
    assert response.status_code == 409
    assert Respondent.objects.count() == 0


def test_an_unknown_link_is_a_clear_404(db: None) -> None:
    for method in ("get", "post"):
        response = getattr(Client(), method)("/en/join/" + "A" * 43 + "/")
        assert response.status_code == 404
        assert re.search(r"<h1[^>]*>This group link does not work</h1>", response.content.decode())
    assert Respondent.objects.count() == 0
