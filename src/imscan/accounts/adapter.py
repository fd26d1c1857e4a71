"""How allauth fits IMS Scan: e-mail subjects without a site prefix."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject: str) -> str:
        return f"IMS Scan: {subject}"
