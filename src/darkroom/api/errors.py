"""Every API error is ``{"detail": ..., "code": ...}``; nothing reaches the caller as a bare 500."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from darkroom.errors import BUSY_MESSAGE, DarkroomError, database_busy, is_duplicate

log = logging.getLogger("darkroom.api")

HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",  # or "busy": another writer held the records; send the same request again
    413: "too_large",
    422: "invalid",
}


class ApiError(Schema):
    """The body of every 4xx answer; ``errors`` (schema) and ``fields`` (by field) when known;
    ``results`` for a refused bulk request: what would have happened to each record."""

    detail: str | list[Any]
    code: str
    errors: list[dict[str, Any]] | None = None
    fields: dict[str, list[str]] | None = None
    results: list[dict[str, Any]] | None = None


def error_responses(*statuses: int) -> dict[int, type[ApiError]]:
    """``response={200: Out, **error_responses(401, 403, 422)}``: documents the refusals."""
    return dict.fromkeys(statuses, ApiError)


# The refusals most endpoints document: a list, a read of one record, a write.
LIST_ERRORS = error_responses(401, 403, 422)
READ_ERRORS = error_responses(401, 403, 404, 422)
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 422)


# Refusals any operation may answer whatever it declares, documented on every operation of the
# OpenAPI schema: a query string with a control character is a 422 anywhere; any write may find
# its body unreadable (400) or too large (413), or meet a stale version, a value already taken or
# another writer's lock (409).
EVERY_OPERATION = {422: "Unprocessable Entity"}
EVERY_WRITE = {400: "Bad Request", 409: "Conflict", 413: "Content Too Large"}
WRITE_METHODS = ("post", "put", "patch", "delete")


def document_common_refusals(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the refusals every operation (and every write) can answer where an operation's own
    list leaves them out, so the schema names every status the API answers."""
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            refusals = {**EVERY_OPERATION, **(EVERY_WRITE if method in WRITE_METHODS else {})}
            if operation.get("security"):
                refusals[401] = "Unauthorized"
            responses = operation.setdefault("responses", {})
            for status, description in refusals.items():
                if status not in responses and str(status) not in responses:
                    responses[status] = {"description": description, "content": error}
    return schema


def validation_messages(exc: DjangoValidationError) -> tuple[str, dict[str, list[str]]]:
    """A one-line message and the messages by field (``__all__`` for the record as a whole)."""
    if hasattr(exc, "error_dict"):
        fields = {
            f: [str(m) for e in errs for m in e.messages] for f, errs in exc.error_dict.items()
        }
    else:
        fields = {"__all__": [str(m) for m in exc.messages]}
    text = " ".join(
        f"{m}" if f in ("__all__", None) else f"{f}: {m}" for f, ms in fields.items() for m in ms
    )
    return text, fields


def field_name(loc: list[Any]) -> str:
    """The field a schema error is about, as a caller names it: ``lines.0.quantity`` for
    ``["body", "payload", "lines", 0, "quantity"]``, ``sort`` for ``["query", "sort"]``;
    ``body`` for the body as a whole."""
    where, *path = loc or ["body"]
    if where == "body":
        path = path[1:]  # the endpoint's own name for its body parameter
    return ".".join(str(part) for part in path) or str(where)


def install_error_handlers(api: NinjaAPI) -> None:
    def reply(
        request: HttpRequest, status: int, detail: Any, code: str, **extra: Any
    ) -> HttpResponse:
        return api.create_response(
            request, {"detail": detail, "code": code, **extra}, status=status
        )

    @api.exception_handler(SchemaValidationError)
    def schema_invalid(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors
        ]
        fields: dict[str, list[str]] = {}
        for error in errors:
            fields.setdefault(field_name(error["loc"]), []).append(error["msg"])
        summary = "; ".join(f"{name}: {m}" for name, ms in fields.items() for m in ms)
        return reply(
            request,
            422,
            f"The request is not valid: {summary}",
            "invalid",
            errors=errors,
            fields=fields,
        )

    @api.exception_handler(DjangoValidationError)
    def record_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        text, fields = validation_messages(exc)
        if is_duplicate(exc):
            return reply(request, 409, text, "duplicate", fields=fields)
        return reply(request, 422, text, "invalid", fields=fields)

    @api.exception_handler(DarkroomError)
    def refused(request: HttpRequest, exc: DarkroomError) -> HttpResponse:
        # Where, when the refusal knows: schema-style errors and the messages by field.
        extra = {
            name: getattr(exc, name) for name in ("errors", "fields") if getattr(exc, name, None)
        }
        return reply(request, exc.status, exc.message, exc.code, **extra)

    @api.exception_handler(RequestDataTooBig)
    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return reply(
            request,
            413,
            f"The request body is larger than the {limit:,} bytes the API accepts; "
            "send less at once.",
            "too_large",
        )

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return reply(
            request,
            401,
            "Authentication required: log in, or send 'Authorization: Bearer <token>'.",
            "not_authenticated",
        )

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return reply(
            request, 403, str(exc) or "Your role does not allow this.", "permission_denied"
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, DarkroomError):
            # django-ninja wraps any refusal of the body reader (api/bodies.py) in a bare 400.
            return refused(request, exc.__cause__)
        code = HTTP_CODES.get(exc.status_code, "error")
        return reply(request, exc.status_code, str(exc), code)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return reply(request, 404, "Not found.", "not_found")

    @api.exception_handler(ObjectDoesNotExist)
    def missing(request: HttpRequest, exc: Exception) -> HttpResponse:
        return reply(request, 404, "Not found.", "not_found")

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        if database_busy(exc):
            log.warning("API %s %s met another writer: %s", request.method, request.path, exc)
            return reply(request, 409, BUSY_MESSAGE, "busy")
        log.exception("API error on %s %s", request.method, request.path)
        return reply(
            request, 500, "Something went wrong on our side; it has been logged.", "server_error"
        )
