"""How allauth fits IMS Scan: e-mail subjects without a site prefix."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth is untyped
    def format_email_subject(self, subject: str) -> str:
        return f"IMS Scan: {subject}"
