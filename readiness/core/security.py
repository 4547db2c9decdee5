"""Keep signed-in pages and unpublished files out of browser and proxy caches."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

# What anyone may read without signing in: the published versions (pages, files, API).
PUBLIC_PATH_PREFIXES = ("/published/", "/api/v1/published")


class PrivateCacheMiddleware:
    """`Cache-Control: no-store, private` on every answer to a signed-in user (drafts,
    report and plan downloads, API reads), so neither a shared proxy nor the browser's
    disk keeps unpublished work. Published pages stay cacheable, for signed-in users
    only privately (the page carries their name and CSRF token). Static files are
    served before this middleware runs and keep WhiteNoise's caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Read after the view: API token and Basic authentication set the user there.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        if request.path_info.startswith(PUBLIC_PATH_PREFIXES):
            patch_cache_control(response, private=True)
        else:
            patch_cache_control(response, private=True, no_store=True)
        return response
