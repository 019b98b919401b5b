"""HTTP for the open data API: CORS for reading, caching by ETag and Last-Modified with
answers of 304, ``Cache-Control`` and compression. Only requests under /api/ are
touched."""

from django.middleware.gzip import GZipMiddleware
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_cache_control, patch_vary_headers

API_PREFIX = "/api/"
# How long a client or a shared cache may reuse an answer before asking again (seconds);
# asking again costs little, since an unchanged answer is a 304 without a body.
MAX_AGE = 60

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match, If-Modified-Since",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Retry-After, Content-Language",
    "Access-Control-Max-Age": "86400",
}


class OpenDataMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # Compression outside the ETag, so that the ETag is the same for both encodings
        # (GZipMiddleware marks it weak) and a 304 is answered before anything is compressed.
        self.api = GZipMiddleware(ConditionalGetMiddleware(get_response))

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        response = self.api(request)
        for header, value in CORS_HEADERS.items():
            response[header] = value
        if request.method in ("GET", "HEAD") and response.status_code in (200, 304):
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        else:
            patch_cache_control(response, no_store=True)
        patch_vary_headers(response, ["Accept", "Accept-Language"])
        return response
