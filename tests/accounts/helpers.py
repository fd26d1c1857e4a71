"""Helpers for the account tests: logging in through the form, two-factor codes."""

from __future__ import annotations

import re
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from tests.factories import PASSWORD

TOTP_PERIOD = 30  # allauth's default MFA_TOTP_PERIOD


def totp_code(secret: str) -> str:
    """The authenticator app's current code, as RFC 6238 computes it (HMAC-SHA1, 30 s).

    Waits out the last two seconds of a period, so the code is still current when the
    server checks it (allauth accepts the current period only).
    """
    if TOTP_PERIOD - time.time() % TOTP_PERIOD < 2:
        time.sleep(2)
    return format_hotp_value(hotp_value(secret, int(time.time()) // TOTP_PERIOD))


def log_in(client: Client, email: str, password: str = PASSWORD, lang: str = "en") -> str:
    """Post the login form; returns where it redirected to."""
    response = client.post(f"/{lang}/accounts/login/", {"login": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def link_in(body: str, path_part: str) -> str:
    """The first URL in an e-mail body that contains `path_part`."""
    for url in re.findall(r"https?://\S+", body):
        if path_part in url:
            return url
    raise AssertionError(f"no link with {path_part!r} in:\n{body}")


def reauthenticate(client: Client, url: str, password: str = PASSWORD) -> str:
    """Type the password again on allauth's page at `url` (with its ?next=), as allauth
    asks before two-factor settings change; returns where it sent us next."""
    response = client.post(url, {"password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])
