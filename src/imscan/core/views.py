from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A friendly 404 in the visitor's language, with a way back to the start."""
    return render(request, "404.html", status=404)
