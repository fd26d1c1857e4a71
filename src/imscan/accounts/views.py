"""Account pages of our own; everything else about accounts is django-allauth's."""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from imscan.accounts.forms import DeleteAccountForm
from imscan.accounts.selectors import (
    organisations_needing_another_owner,
    organisations_only_mine,
)
from imscan.accounts.services import SoleOwnerError, user_delete
from imscan.permissions import signed_in


@require_http_methods(["GET", "POST"])
@signed_in
def delete(request: HttpRequest) -> HttpResponse:
    """Delete your own account, after typing your password again.

    Refused while you are the only owner of an organisation with other members; the page
    then says which ones, and shows no form.
    """
    user = request.user
    assert isinstance(user, User)  # signed_in let only logged-in users through
    blocking = organisations_needing_another_owner(user=user)
    form = DeleteAccountForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST" and not blocking:
        # The same limit as allauth's own re-authentication: no guessing the password of
        # a session left open.
        if not ratelimit.consume(request, action="reauthenticate", user=user):
            form.add_error(None, _("Too many attempts. Wait a minute and try again."))
            status = 429
        elif form.is_valid():
            try:
                user_delete(user=user)
            except SoleOwnerError as refused:
                blocking = refused.organisations
            else:
                logout(request)
                messages.success(request, _("Your account has been deleted."))
                return redirect("home")
        if status == 200:
            status = 409 if blocking else 400
    elif request.method == "POST":
        status = 409
    context = {"form": form, "blocking": blocking, "only_mine": organisations_only_mine(user=user)}
    return render(request, "account/delete.html", context, status=status)
