from __future__ import annotations

import re

from django.core import mail

from imscan.scans.models import Scan

LINK = re.compile(r"https?://testserver(/\w\w/scan/[A-Za-z0-9_-]+/)")
JOIN_LINK = re.compile(r"https?://testserver(/\w\w/join/[A-Za-z0-9_-]+/)")


def link_in(body: str) -> str:
    """The path of the one personal link in an e-mail's body."""
    found = LINK.findall(body)
    assert len(found) == 1, body
    return str(found[0])


def mail_to(address: str) -> mail.EmailMessage:
    found = [message for message in mail.outbox if message.to == [address]]
    assert len(found) == 1, [m.to for m in mail.outbox]
    return found[0]


def detail_url(scan: Scan, lang: str = "nl") -> str:
    return f"/{lang}/scans/{scan.public_id}/"
