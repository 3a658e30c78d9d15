"""Keep the API's promise that every refusal is JSON ``{"detail", "code"}``.

Django answers an unknown path with its HTML 404 page and django-ninja answers a wrong method with
an empty 405; neither passes through the API's exception handlers, so they are rewritten here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

API_PREFIX = "/api/v1/"
REWRITES = {
    404: ("There is no API endpoint at this address; see /api/v1/docs.", "not_found"),
    405: ("This endpoint does not accept that method; see /api/v1/docs.", "method_not_allowed"),
}


class ApiErrorBodyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        rewrite = REWRITES.get(response.status_code)
        if (
            rewrite is None
            or not request.path.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        detail, code = rewrite
        replacement = JsonResponse({"detail": detail, "code": code}, status=response.status_code)
        if "Allow" in response:
            replacement["Allow"] = response["Allow"]
        return replacement
