from django.http import HttpRequest, HttpResponse
from django.urls import path

from readiness.urls import urlpatterns as application_urls


def bare(request: HttpRequest) -> HttpResponse:
    """The baseline: Django's request cycle with no application work."""
    return HttpResponse("ok")


urlpatterns = [path("bare/", bare), *application_urls]
