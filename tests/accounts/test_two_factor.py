"""Two-factor authentication with an authenticator app (TOTP): setting it up, logging in
with it, and the rule that consultants and programme staff must use it."""

from __future__ import annotations

import base64

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client

from tests.accounts.helpers import is_logged_in, log_in, reauthenticate, totp_code
from tests.factories import ConsultantFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_setting_up_totp_then_logging_in_asks_for_the_code(client: Client) -> None:
    user = UserFactory()
    log_in(client, user.email, lang="nl")

    # allauth wants the password again before two-factor settings change.
    response = client.get("/nl/accounts/2fa/totp/activate/")
    assert response.status_code == 302
    assert response["Location"].startswith("/nl/accounts/reauthenticate/?next=")
    assert reauthenticate(client, response["Location"]) == "/nl/accounts/2fa/totp/activate/"
    page = client.get("/nl/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    html = page.content.decode()
    # The QR code is an inline SVG (no third-party service), and the key is readable text.
    assert 'src="data:image/svg+xml;base64,' in html
    svg_b64 = html.split('src="data:image/svg+xml;base64,', 1)[1].split('"', 1)[0]
    assert base64.b64decode(svg_b64).lstrip().startswith((b"<?xml", b"<svg"))
    assert f'value="{secret}"' in html
    assert 'for="authenticator_secret"' in html

    wrong = client.post("/nl/accounts/2fa/totp/activate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert 'aria-invalid="true"' in wrong.content.decode()
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    response = client.post("/nl/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    # Recovery codes are made at the same time, and shown next.
    assert response["Location"] == "/nl/accounts/2fa/recovery-codes/"
    codes_page = client.get(response["Location"]).content.decode()
    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    unused = recovery.wrap().get_unused_codes()
    assert len(unused) == 10
    assert all(f'<code class="utrecht-code">{code}</code>' in codes_page for code in unused)

    client.post("/nl/accounts/logout/")
    assert not is_logged_in(client)

    # The password alone is not enough any more.
    assert log_in(client, user.email, lang="nl") == "/nl/accounts/2fa/authenticate/"
    assert not is_logged_in(client)
    wrong = client.post("/nl/accounts/2fa/authenticate/", {"code": "123456"})
    assert wrong.status_code == 200
    assert not is_logged_in(client)
    response = client.post("/nl/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert is_logged_in(client)


def with_totp(user: object) -> None:
    TOTP.activate(user, generate_totp_secret())  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["consultant", "staff"])
@pytest.mark.parametrize("path", ["/nl/", "/en/method/", "/nl/no-such-page/"])
def test_consultants_and_staff_without_totp_are_sent_to_set_it_up(
    client: Client, kind: str, path: str
) -> None:
    user = ConsultantFactory().user if kind == "consultant" else UserFactory(is_staff=True)
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 302
    lang = path.split("/")[1]
    assert response["Location"] == f"/{lang}/accounts/2fa/totp/activate/"


@pytest.mark.parametrize("kind", ["consultant", "staff"])
def test_the_account_pages_stay_reachable_without_totp(client: Client, kind: str) -> None:
    user = ConsultantFactory().user if kind == "consultant" else UserFactory(is_staff=True)
    client.force_login(user)
    assert client.get("/nl/accounts/email/").status_code == 200
    assert client.get("/nl/accounts/2fa/").status_code == 200
    response = client.get("/nl/accounts/2fa/totp/activate/")
    # allauth asks for the password again first when the login was not just now.
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert "/accounts/reauthenticate/" in response["Location"]


@pytest.mark.parametrize("kind", ["consultant", "staff"])
def test_consultants_and_staff_with_totp_go_where_they_want(client: Client, kind: str) -> None:
    user = ConsultantFactory().user if kind == "consultant" else UserFactory(is_staff=True)
    with_totp(user)
    client.force_login(user)
    assert client.get("/nl/").status_code == 200


def test_a_plain_user_needs_no_totp(client: Client) -> None:
    client.force_login(UserFactory())
    assert client.get("/nl/").status_code == 200


def test_a_consultant_logging_in_is_sent_to_totp_set_up(client: Client) -> None:
    consultant = ConsultantFactory()
    log_in(client, consultant.user.email, lang="nl")
    response = client.get("/nl/", follow=True)
    # To the set-up, which first asks for the password again.
    assert [url.split("?")[0] for url, _ in response.redirect_chain] == [
        "/nl/accounts/2fa/totp/activate/",
        "/nl/accounts/reauthenticate/",
    ]
    html = response.content.decode()
    assert "utrecht-alert--warning" in html  # says why
    assert reauthenticate(client, response.redirect_chain[-1][0]) == (
        "/nl/accounts/2fa/totp/activate/"
    )
    page = client.get("/nl/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()
