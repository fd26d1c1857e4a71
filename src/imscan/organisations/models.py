"""Organisations, their members and invitations, and the consultants they engage."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imscan.organisations.countries import COUNTRIES


class Organisation(models.Model):
    """A government organisation (or another public or not-for-profit one) that runs scans."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National government (ministry)")
        PROVINCIAL = "provincial", _("Province")
        MUNICIPAL = "municipal", _("Municipality")
        WATER_AUTHORITY = "water-authority", _("Water authority")
        AGENCY = "agency", _("Executive agency or independent body")
        OTHER = "other", _("Other public or not-for-profit organisation")

    class Size(models.TextChoices):
        XS = "0-99", _("fewer than 100 employees")
        S = "100-499", _("100 to 499 employees")
        M = "500-999", _("500 to 999 employees")
        L = "1000-4999", _("1,000 to 4,999 employees")
        XL = "5000+", _("5,000 employees or more")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type of government"), max_length=32, choices=Kind.choices)
    size = models.CharField(_("size"), max_length=16, choices=Size.choices)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES, default="NL")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        MEMBER = "member", _("member")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} of {self.organisation_id}"


INVITATION_DAYS = 14


def invitation_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=INVITATION_DAYS)


class Invitation(models.Model):
    """An e-mailed invitation to become a member; its link token is stored only hashed."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=16, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"invitation of {self.email} to {self.organisation_id}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class ConsultantProfile(models.Model):
    """A consultant who guides scans; certified while a verified certificate is valid."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultant"
    )
    display_name = models.CharField(_("name"), max_length=200)
    firm = models.CharField(_("firm"), max_length=200, blank=True)
    bio = models.TextField(_("about you"), max_length=2000, blank=True)
    region = models.CharField(_("region"), max_length=200, blank=True)
    certifying_body = models.CharField(_("certifying body"), max_length=200)
    certificate_number = models.CharField(_("certificate number"), max_length=100)
    valid_until = models.DateField(_("valid until"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    listed = models.BooleanField(_("show me in the public directory"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("consultant")
        verbose_name_plural = _("consultants")
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_expired(self) -> bool:
        return self.valid_until < timezone.localdate()

    @property
    def is_certified(self) -> bool:
        """Verified by programme staff and not expired: may guide scans."""
        return self.verified_at is not None and not self.is_expired


class Engagement(models.Model):
    """An organisation engages a consultant: invited, accepted by them, revocable."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="engagements"
    )
    consultant = models.ForeignKey(
        ConsultantProfile, on_delete=models.CASCADE, related_name="engagements"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)  # revoked, declined or left

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "consultant"],
                condition=models.Q(ended_at__isnull=True),
                name="one_current_engagement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultant_id} for {self.organisation_id}"

    @property
    def is_active(self) -> bool:
        return self.accepted_at is not None and self.ended_at is None
