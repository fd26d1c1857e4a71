"""Personal API tokens: made on the account page (after typing the password again), shown
once, stored hashed, with an optional expiry and a read-only scope; revoked there too.
And how the API takes them: unknown, expired or revoked is 401, read-only refuses writes."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.test import Client
from django.utils import timezone

from imscan.api.models import ApiToken
from imscan.api.services import MAX_ACTIVE_TOKENS, TOKEN_PREFIX, api_token_create
from tests.api.helpers import Api, error_of, token_for
from tests.factories import PASSWORD, ConsultantFactory, UserFactory, with_totp

pytestmark = pytest.mark.django_db
PAGE = "/en/accounts/api-tokens/"


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user, "django.contrib.auth.backends.ModelBackend")  # type: ignore[arg-type]
    return client


def secret_on(page: str) -> str:
    found = re.search(r'id="new-token" type="text" value="([^"]+)"', page)
    assert found, "no new token on the page"
    return found.group(1)


def test_the_account_menu_links_to_the_tokens_page() -> None:
    client = logged_in(UserFactory())
    page = client.get("/en/accounts/email/").content.decode()
    assert f'href="{PAGE}"' in page
    assert client.get(PAGE).status_code == 200


def test_a_new_token_is_shown_once_and_stored_only_hashed(api: Api) -> None:
    user = UserFactory()
    client = logged_in(user)
    response = client.post(PAGE, {"name": "Dashboard", "expires_on": "", "password": PASSWORD})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = secret_on(response.content.decode())
    assert secret.startswith(TOKEN_PREFIX) and len(secret) >= len(TOKEN_PREFIX) + 43
    token = ApiToken.objects.get(user=user)
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.hint, token.name, token.token_hash}
    assert token.read_only is False and token.expires_at is None
    # Shown once: the page lists it later by name and hint, never the token itself.
    later = client.get(PAGE).content.decode()
    assert "Dashboard" in later and token.hint in later and secret not in later
    me = api.get("/me", token=secret)
    assert me.status_code == 200
    assert me.json()["email"] == user.email
    assert me.json()["token"]["name"] == "Dashboard"


def test_making_a_token_asks_for_the_password_again_and_keeps_what_was_typed() -> None:
    client = logged_in(UserFactory())
    response = client.post(PAGE, {"name": "Dashboard", "password": "not my password"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This is not your password" in page
    assert 'value="Dashboard"' in page
    assert not ApiToken.objects.exists()


def test_a_token_can_be_read_only_and_expire(api: Api) -> None:
    user = UserFactory()
    client = logged_in(user)
    day = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        PAGE,
        {
            "name": "Report reader",
            "read_only": "on",
            "expires_on": day.isoformat(),
            "password": PASSWORD,
        },
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    assert token.read_only is True
    assert timezone.localtime(token.expires_at).date() == day  # up to and including that day
    me = api.get("/me", token=secret_on(response.content.decode())).json()
    assert me["token"]["read_only"] is True
    assert me["token"]["expires_at"] is not None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "x" * 101}, "at most 100 characters"),
        ({"name": "Old", "expires_on": "2020-01-01"}, "must be in the future"),
        ({"name": "Far", "expires_on": "2099-01-01"}, "within 5 years"),
        ({"name": "Garbled", "expires_on": "next week"}, "Enter a valid date."),
    ],
)
def test_a_bad_form_makes_no_token_and_says_why(data: dict[str, str], message: str) -> None:
    client = logged_in(UserFactory())
    response = client.post(PAGE, {**data, "password": PASSWORD})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'id="new-token"' not in response.content.decode()
    assert not ApiToken.objects.exists()


def test_there_is_a_limit_on_working_tokens() -> None:
    user = UserFactory()
    for n in range(MAX_ACTIVE_TOKENS):
        api_token_create(user=user, name=f"t{n}", read_only=True, expires_at=None)
    response = logged_in(user).post(PAGE, {"name": "one too many", "password": PASSWORD})
    assert response.status_code == 400
    assert "revoke one first" in response.content.decode()
    assert ApiToken.objects.filter(user=user).count() == MAX_ACTIVE_TOKENS


def test_a_revoked_token_stops_working_at_once(api: Api) -> None:
    user = UserFactory()
    secret = token_for(user)
    assert api.get("/me", token=secret).status_code == 200
    token = ApiToken.objects.get(user=user)
    client = logged_in(user)
    response = client.post(f"/en/accounts/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert error_of(api.get("/me", token=secret)) == (401, "invalid_token")
    page = client.get(PAGE).content.decode()
    assert "Revoked on" in page


def test_nobody_revokes_someone_elses_token() -> None:
    owner_token = api_token_create(
        user=UserFactory(), name="mine", read_only=False, expires_at=None
    )
    response = logged_in(UserFactory()).post(
        f"/en/accounts/api-tokens/{owner_token.token.pk}/revoke/"
    )
    assert response.status_code == 404
    owner_token.token.refresh_from_db()
    assert owner_token.token.revoked_at is None


def test_an_expired_token_is_refused(api: Api) -> None:
    user = UserFactory()
    made = api_token_create(
        user=user,
        name="short",
        read_only=False,
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    assert api.get("/me", token=made.secret).status_code == 200
    ApiToken.objects.filter(pk=made.token.pk).update(expires_at=timezone.now())
    assert error_of(api.get("/me", token=made.secret)) == (401, "invalid_token")


@pytest.mark.parametrize(
    "header",
    ["Bearer imscan_not-a-token", "Bearer ", "Basic dXNlcjpwYXNz", "imscan_bare", "Token abc"],
)
def test_a_broken_authorization_header_is_refused_even_where_none_is_needed(
    api: Api, ims_version: object, header: str
) -> None:
    response = api.get("/models", headers={"Authorization": header})
    assert error_of(response) == (401, "invalid_token")


def test_a_read_only_token_reads_but_changes_nothing(api: Api, ims_version: object) -> None:
    secret = token_for(UserFactory(), read_only=True)
    assert api.get("/models", token=secret).status_code == 200
    response = api.post("/self-scans", {"model_id": "ims-gov"}, token=secret)
    assert error_of(response) == (403, "read_only_token")
    from imscan.scans.models import Scan

    assert not Scan.objects.exists()


def test_a_token_of_a_deactivated_account_is_refused(api: Api) -> None:
    user = UserFactory()
    secret = token_for(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert error_of(api.get("/me", token=secret)) == (401, "invalid_token")


def test_a_consultant_needs_two_factor_authentication_for_tokens_too(api: Api) -> None:
    """The web pages require it of consultants; their tokens must not get around that."""
    consultant = ConsultantFactory().user
    secret = token_for(consultant)
    assert error_of(api.get("/me", token=secret)) == (403, "two_factor_required")
    # A logged-in session without it is sent to the set-up on the web pages, but the API
    # ignores sessions: it answers JSON, as to anyone.
    api.client.force_login(consultant, "django.contrib.auth.backends.ModelBackend")
    assert error_of(api.get("/me", token=secret)) == (403, "two_factor_required")
    with_totp(consultant)
    assert api.get("/me", token=secret).status_code == 200


def test_last_use_is_recorded_at_most_once_a_minute(api: Api) -> None:
    secret = token_for(UserFactory())
    token = ApiToken.objects.get()
    assert token.last_used_at is None
    api.get("/me", token=secret)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    api.get("/me", token=secret)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    api.get("/me", token=secret)
    token.refresh_from_db()
    assert token.last_used_at > first


def test_a_link_token_is_no_personal_token_and_the_other_way_round(
    api: Api, ims_version: object
) -> None:
    link = api.post("/self-scans", {"model_id": "ims-gov"}).json()["token"]
    secret = token_for(UserFactory())
    status, code = error_of(api.get("/me", token=link))
    assert (status, code) == (401, "not_authenticated")
    english = api.get("/me", token=link, headers={"Accept-Language": "en"})
    assert "personal API token" in english.json()["detail"]
    assert error_of(api.get("/respondent", token=secret)) == (401, "not_authenticated")
    assert error_of(api.get("/me")) == (401, "not_authenticated")
    assert api.get("/me")["WWW-Authenticate"] == 'Bearer realm="imscan"'


def test_guessing_the_password_on_the_form_is_rate_limited() -> None:
    client = logged_in(UserFactory())
    statuses = [
        client.post(PAGE, {"name": "guess", "password": f"guess {n}"}).status_code
        for n in range(12)
    ]
    assert statuses[0] == 400
    assert statuses[-1] == 429
    assert not ApiToken.objects.exists()
