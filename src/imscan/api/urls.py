from django.urls import URLPattern, URLResolver, path

from imscan.api.main import api

urlpatterns: list[URLPattern | URLResolver] = [path("api/v1/", api.urls)]
