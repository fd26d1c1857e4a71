"""The account page's API tokens: make one (shown once) and revoke them."""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from imscan.api import selectors, services
from imscan.api.forms import ApiTokenForm
from imscan.permissions import signed_in


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # signed_in let only logged-in users through
    return request.user


@require_http_methods(["GET", "POST"])
@signed_in
def tokens(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ApiTokenForm(request.POST or None, user=user)
    created: services.NewApiToken | None = None
    status = 200
    if request.method == "POST":
        # The same limit as allauth's own re-authentication: no guessing the password of
        # a session left open.
        if not ratelimit.consume(request, action="reauthenticate", user=user):
            form.add_error(None, _("Too many attempts. Wait a minute and try again."))
            status = 429
        elif form.is_valid():
            try:
                created = services.api_token_create(
                    user=user,
                    name=form.cleaned_data["name"],
                    read_only=form.cleaned_data["read_only"],
                    expires_at=form.expires_at(),
                )
            except services.TokenRefused as refusal:
                form.add_error(None, refusal.message)
        if created is not None:
            form = ApiTokenForm(user=user)
        elif status == 200:
            status = 400
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
