"""Ceiling views for `make bench`: mounted only with IMSCAN_BENCH_VIEWS=1."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from imscan.core.models import BenchRow
from imscan.permissions import public


@public
def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@public
@csrf_exempt
@require_POST
def insert(request: HttpRequest) -> HttpResponse:
    BenchRow.objects.create(value=1)
    return HttpResponse("ok")


urlpatterns = [
    path("ok/", ok),
    path("insert/", insert),
]
