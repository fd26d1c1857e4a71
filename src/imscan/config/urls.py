from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path

import imscan.scans.converters  # noqa: F401 (registers the <token:...> converter)

# Every page lives under a language prefix (/nl/, /en/), so a link always opens in the
# language it was shared in; LocaleMiddleware sends "/" to the visitor's language.
urlpatterns: list[URLPattern | URLResolver] = i18n_patterns(
    path("", include("imscan.scans.urls")),
    path("", include("imscan.scans.guided_urls")),
    path("", include("imscan.reports.urls")),
    path("", include("imscan.reports.export_urls")),
    path("", include("imscan.reports.share_urls")),
    path("", include("imscan.plans.urls")),
    path("", include("imscan.transfer.urls")),
    path("", include("imscan.organisations.urls")),
    path("", include("imscan.insights.urls")),
    path("accounts/", include("imscan.accounts.urls")),
    path("accounts/", include("imscan.api.token_urls")),
    path("accounts/", include("allauth.urls")),
    prefix_default_language=True,
)
# The JSON API has no language prefix: its URLs are a contract, the language of its
# messages follows Accept-Language.
urlpatterns += [path("", include("imscan.api.urls"))]
if settings.IMSCAN_BENCH_VIEWS:
    urlpatterns += [path("bench/", include("imscan.core.bench_urls"))]

handler404 = "imscan.core.views.page_not_found"
