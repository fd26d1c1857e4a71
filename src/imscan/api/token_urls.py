from django.urls import URLPattern, path

from imscan.api import views

urlpatterns: list[URLPattern] = [
    path("api-tokens/", views.tokens, name="api-tokens"),
    path("api-tokens/<int:token_id>/revoke/", views.token_revoke, name="api-token-revoke"),
]
