"""Writes of the insights app that people make: what an organisation shares.

Every function checks everything before it changes anything and refuses with a
`ParticipationError` (a message, and the form field it is about).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from imscan.insights.models import Participation
from imscan.insights.recording import organisation_recount
from imscan.organisations.models import Organisation


class ParticipationError(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def participation_of(organisation: Organisation) -> Participation:
    """The organisation's choices; the defaults (unsaved) when it never made any."""
    found = Participation.objects.filter(organisation=organisation).first()
    return found or Participation(organisation=organisation)


def participation_update(
    *,
    organisation: Organisation,
    benchmark: str | None = None,
    contactable: bool | None = None,
    contact_name: str | None = None,
    contact_email: str | None = None,
    followups: bool | None = None,
) -> Participation:
    """Change what the organisation shares (None keeps a choice as it is). A withdrawal
    takes effect at once: the benchmarks, statistics and peer suggestions computed after
    this call leave the organisation's results out."""
    participation = participation_of(organisation)
    if benchmark is not None:
        if benchmark not in Participation.Benchmark.values:
            raise ParticipationError(_("Choose what counts in the benchmark."), "benchmark")
        participation.benchmark = benchmark
    if contact_name is not None:
        participation.contact_name = contact_name.strip()[:200]
    if contact_email is not None:
        participation.contact_email = contact_email.strip().lower()
    if participation.contact_email:
        try:
            validate_email(participation.contact_email)
        except ValidationError as error:
            raise ParticipationError(_("Enter a valid e-mail address."), "contact_email") from error
    if contactable is not None:
        participation.contactable = contactable
    if participation.contactable and not participation.contact_email:
        raise ParticipationError(
            _("Give the e-mail address at which other organisations can reach you."),
            "contact_email",
        )
    if followups is not None:
        participation.followups = followups
    with transaction.atomic():
        participation.save()
        organisation_recount(organisation=organisation, choice=participation.benchmark)
    return participation
