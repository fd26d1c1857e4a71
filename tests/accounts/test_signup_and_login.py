"""Signing up with e-mail verification, logging in and out, resetting a password."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tests.accounts.helpers import is_logged_in, link_in, log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another long password 77"


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_signup_sends_a_verification_link_that_logs_the_user_in(client: Client, lang: str) -> None:
    response = client.post(
        f"/{lang}/accounts/signup/",
        {"email": "anna@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/{lang}/accounts/confirm-email/"
    assert not is_logged_in(client), "the address must be confirmed before the first login"

    (message,) = mail.outbox
    assert message.to == ["anna@example.org"]
    assert message.subject.startswith("IMS Scan: ")
    if lang == "en":  # our own wording, not allauth's "Hello from testserver!"
        assert message.subject == "IMS Scan: Confirm your e-mail address"
        assert message.body.startswith("Hello,\n\nWelcome to IMS Scan.")
    # The link opens in the language the visitor signed up in.
    link = link_in(message.body, "/accounts/confirm-email/")
    assert link.startswith(f"http://testserver/{lang}/accounts/confirm-email/")

    path = link.removeprefix("http://testserver")
    page = client.get(path)
    assert page.status_code == 200
    assert "anna@example.org" in page.content.decode()
    confirmed = client.post(path)
    assert confirmed.status_code == 302
    assert is_logged_in(client)
    user = get_user_model().objects.get(email="anna@example.org")
    assert user.emailaddress_set.get().verified  # type: ignore[attr-defined]


def test_signup_with_mismatched_passwords_keeps_the_email_and_says_why(client: Client) -> None:
    response = client.post(
        "/en/accounts/signup/",
        {"email": "bert@example.org", "password1": PASSWORD, "password2": PASSWORD + "x"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="bert@example.org"' in html
    assert "You must type the same password each time." in html
    # The error is tied to its field.
    assert 'aria-describedby="id_password2_error"' in html
    assert 'id="id_password2_error"' in html
    assert not get_user_model().objects.filter(email="bert@example.org").exists()
    assert mail.outbox == []


def test_an_unverified_user_cannot_log_in_but_gets_a_new_link(client: Client) -> None:
    client.post(
        "/en/accounts/signup/",
        {"email": "carla@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    mail.outbox.clear()
    response = client.post(
        "/en/accounts/login/", {"login": "carla@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert not is_logged_in(client)


def test_login_and_logout(client: Client) -> None:
    user = UserFactory()
    log_in(client, user.email)
    assert is_logged_in(client)
    home = client.get("/en/").content.decode()
    assert 'action="/en/accounts/logout/"' in home  # the header's log-out button
    assert 'href="/en/dashboard/"' in home
    assert 'href="/en/accounts/email/"' in home
    assert "Log in" not in home

    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert not is_logged_in(client)
    home = client.get("/en/").content.decode()
    assert 'href="/en/accounts/login/"' in home
    assert 'href="/en/accounts/signup/"' in home


def test_login_with_a_wrong_password_shows_an_error_and_keeps_the_email(client: Client) -> None:
    user = UserFactory()
    response = client.post(
        "/en/accounts/login/", {"login": user.email, "password": "not the password"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The email address and/or password you specified are not correct." in html
    assert 'class="utrecht-alert utrecht-alert--error" role="alert"' in html
    assert f'value="{user.email}"' in html
    assert not is_logged_in(client)


def test_password_reset_by_email(client: Client) -> None:
    user = UserFactory()
    response = client.post("/nl/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert response["Location"] == "/nl/accounts/password/reset/done/"

    (message,) = mail.outbox
    assert message.to == [user.email]
    link = link_in(message.body, "/accounts/password/reset/key/")
    assert link.startswith("http://testserver/nl/accounts/password/reset/key/")

    # allauth swaps the key in the link for one kept in the session, then shows the form.
    path = link.removeprefix("http://testserver")
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert not form_page.context.get("token_fail")
    form_path = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    response = client.post(form_path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The link works once.
    client.logout()
    again = client.get(path, follow=True)
    assert again.context["token_fail"]
    assert 'href="/nl/accounts/password/reset/"' in again.content.decode()


def test_password_reset_for_an_unknown_address_reveals_nothing(client: Client) -> None:
    response = client.post("/en/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/password/reset/done/"
    (message,) = mail.outbox  # tells the owner of the address there is no account
    assert message.to == ["nobody@example.org"]
    assert "/en/accounts/signup/" in message.body


@pytest.mark.parametrize(
    ("lang", "password_label", "other"), [("nl", "Wachtwoord", "en"), ("en", "Password", "nl")]
)
@pytest.mark.parametrize("page", ["login", "signup"])
def test_login_and_signup_pages_render_in_both_languages(
    client: Client, lang: str, password_label: str, other: str, page: str
) -> None:
    response = client.get(f"/{lang}/accounts/{page}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    assert f'action="/{lang}/accounts/{page}/"' in html
    assert f'href="/{other}/accounts/{page}/" hreflang="{other}"' in html
    # Visible labels tied to their inputs, in allauth's translation of its field labels.
    login_field = "login" if page == "login" else "email"
    assert f'<label class="utrecht-form-label" for="id_{login_field}">' in html
    password_field = "password" if page == "login" else "password1"
    assert f'for="id_{password_field}">{password_label}' in html
    assert "placeholder=" not in html  # the label says it; a placeholder looks like input
    if page == "login":
        assert f'<a class="utrecht-link" href="/{lang}/accounts/password/reset/">' in html
    assert 'class="utrecht-textbox utrecht-textbox--html-input"' in html
