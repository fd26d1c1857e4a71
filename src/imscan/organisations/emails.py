"""E-mails about organisations and consultants, each in the language it is sent in.

A template `emails/<name>.txt` holds the subject on its first line, then a blank line, then
the body. Links are absolute: `site_url` (scheme and host, from the request) plus the
named URL's path in the e-mail's language (/nl/... or /en/...).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

Link = tuple[str, dict[str, Any]]  # URL name and its arguments


def send(
    *,
    template: str,
    to: str,
    language: str,
    site_url: str,
    context: dict[str, Any],
    links: dict[str, Link],
) -> None:
    """Render `emails/<template>.txt` in `language`, with `links` as absolute URLs, and send it."""
    with translation.override(language):
        urls = {
            key: site_url.rstrip("/") + reverse(name, kwargs=kwargs)
            for key, (name, kwargs) in links.items()
        }
        text = render_to_string(f"emails/{template}.txt", {**context, **urls})
    subject, _, body = text.strip().partition("\n")
    send_mail(
        subject=f"IMS Scan: {subject.strip()}",
        message=body.strip() + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[to],
    )
