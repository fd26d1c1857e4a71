"""factory_boy factories for the organisation side: users, organisations, consultants,
guided scans with groups, respondents and answers."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from imscan.organisations.models import ConsultantProfile, Engagement, Membership, Organisation
from imscan.scans.models import Answer, Respondent, RespondentGroup, Scan
from imscan.scans.tokens import new_token, token_hash

PASSWORD = "a long enough test password 42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        """A verified primary e-mail address, so allauth lets the user log in."""
        if not create:
            return
        from allauth.account.models import EmailAddress

        obj.save()
        EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    kind = Organisation.Kind.MUNICIPAL
    size = Organisation.Size.M
    country = "NL"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class ConsultantFactory(factory.django.DjangoModelFactory):
    """A verified consultant with a certificate valid for another year."""

    class Meta:
        model = ConsultantProfile

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Consultant {n}")
    certifying_body = "Stichting Innovatiecertificering"
    certificate_number = factory.Sequence(lambda n: f"IMS-{n:05d}")
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))
    verified_at = factory.LazyFunction(timezone.now)
    listed = True


class EngagementFactory(factory.django.DjangoModelFactory):
    """An accepted, current engagement."""

    class Meta:
        model = Engagement

    organisation = factory.SubFactory(OrganisationFactory)
    consultant = factory.SubFactory(ConsultantFactory)
    accepted_at = factory.LazyFunction(timezone.now)


class GuidedScanFactory(factory.django.DjangoModelFactory):
    """A guided scan of an organisation; pass model_version (e.g. the ims_version fixture)."""

    class Meta:
        model = Scan

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Scan.Kind.GUIDED
    language = "nl"
    title = factory.Sequence(lambda n: f"Scan {n}")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RespondentGroup

    scan = factory.SubFactory(GuidedScanFactory)
    name = factory.Sequence(lambda n: f"Group {n}")
    position = factory.Sequence(int)


def respondent_with_token(
    scan: Scan,
    group: RespondentGroup | None = None,
    answers: dict[str, float | None] | None = None,
    finished: bool = True,
    email: str = "",
) -> tuple[Respondent, str]:
    """A respondent (finished by default) with the given answers; returns it and its token."""
    token = new_token()
    now = timezone.now()
    respondent = Respondent.objects.create(
        scan=scan,
        group=group,
        token_hash=token_hash(token),
        email=email,
        finished_at=now if finished else None,
    )
    Answer.objects.bulk_create(
        Answer(respondent=respondent, statement_id=sid, value=value, updated_at=now)
        for sid, value in (answers or {}).items()
    )
    return respondent, token


def with_totp(user: Any) -> Any:
    """The user with an authenticator app set up: consultants and staff must have one."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user
