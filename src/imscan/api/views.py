"""The account page's API tokens: make one (shown once) and revoke them."""

from __future__ import annotations

from collections.abc import Callable

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from imscan.api import selectors, services
from imscan.api.forms import ApiTokenForm
from imscan.permissions import View, signed_in


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # signed_in let only logged-in users through
    return request.user


# Making a token makes a new credential: allauth asks for the password again first.
reauthenticated: Callable[[View], View] = reauthentication_required(allow_get=True)


@require_http_methods(["GET", "POST"])
@signed_in
@reauthenticated
def tokens(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ApiTokenForm(request.POST or None)
    created: services.NewApiToken | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.api_token_create(
                    user=user,
                    name=form.cleaned_data["name"],
                    read_only=form.cleaned_data["read_only"],
                    expires_at=form.expires_at(),
                )
            except services.TokenRefused as refusal:
                form.add_error(None, refusal.message)
        if created is None:
            status = 400
        else:
            form = ApiTokenForm()
    context = {
        "form": form,
        "created": created,
        "tokens": selectors.tokens_of(user),
        "docs_url": reverse("api-v1:openapi-view"),
    }
    response = render(request, "api/tokens.html", context, status=status)
    # The new token is in this page only: it must not stay in a cache.
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@signed_in
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = selectors.token_of(_user(request), token_id)
    if token is None:
        raise Http404
    if services.api_token_revoke(token=token):
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api-tokens")
