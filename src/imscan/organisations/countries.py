"""The countries an organisation can be in: the EU, the EEA, Switzerland and the UK.

The scan is built for European public administrations; an ISO 3166-1 alpha-2 code is
stored, so more countries can be added without a data change.
"""

from django.utils.translation import gettext_lazy as _

COUNTRIES = [
    ("NL", _("Netherlands")),
    ("BE", _("Belgium")),
    ("LU", _("Luxembourg")),
    ("DE", _("Germany")),
    ("FR", _("France")),
    ("AT", _("Austria")),
    ("BG", _("Bulgaria")),
    ("HR", _("Croatia")),
    ("CY", _("Cyprus")),
    ("CZ", _("Czechia")),
    ("DK", _("Denmark")),
    ("EE", _("Estonia")),
    ("FI", _("Finland")),
    ("GR", _("Greece")),
    ("HU", _("Hungary")),
    ("IE", _("Ireland")),
    ("IS", _("Iceland")),
    ("IT", _("Italy")),
    ("LV", _("Latvia")),
    ("LI", _("Liechtenstein")),
    ("LT", _("Lithuania")),
    ("MT", _("Malta")),
    ("NO", _("Norway")),
    ("PL", _("Poland")),
    ("PT", _("Portugal")),
    ("RO", _("Romania")),
    ("SK", _("Slovakia")),
    ("SI", _("Slovenia")),
    ("ES", _("Spain")),
    ("SE", _("Sweden")),
    ("CH", _("Switzerland")),
    ("GB", _("United Kingdom")),
]
