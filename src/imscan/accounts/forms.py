"""Forms that ask for the password again, so a forgotten open session is no risk: deleting
the account, making an API token (imscan.api.forms)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from imscan.core.forms import NLDSFormMixin


class PasswordAgainForm(NLDSFormMixin, forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("This is not your password. Fill in the password you log in with."),
                code="wrong_password",
            )
        return password


class DeleteAccountForm(PasswordAgainForm):
    pass
