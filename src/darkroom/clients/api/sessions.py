"""/sessions: the shoots."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Status

from darkroom.api.auth import require
from darkroom.clients import selectors, services
from darkroom.clients.api.conventions import (
    EXCEL,
    LIST_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    ListQuery,
    checked_sort,
    page_answer,
    resolved,
    router,
)
from darkroom.clients.exports import list_export
from darkroom.clients.models import Session
from darkroom.clients.schemas import SessionIn, SessionOut, SessionPage, SessionPatch


class SessionQuery(ListQuery):
    client: int | None = None
    session_type: int | None = None
    photographer: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _sessions() -> QuerySet[Session]:
    return Session.objects.select_related("client", "session_type")


@router.get(
    "/sessions",
    response={200: SessionPage, **LIST_ERRORS},
    summary="List sessions",
    description="Search looks in the client's name.",
    openapi_extra=EXCEL,
    operation_id="sessions_list",
)
def list_sessions(request: HttpRequest, filters: Query[SessionQuery]) -> Any:
    require(request, "clients.view_session")
    sort = checked_sort(filters.sort, selectors.SESSION_SORTS, selectors.SESSION_DEFAULT_SORT)
    sessions = selectors.session_list(
        search=filters.search,
        client=filters.client,
        session_type=filters.session_type,
        photographer=filters.photographer,
        date_from=filters.date_from,
        date_to=filters.date_to,
        sort=sort,
    )
    if filters.format == "xlsx":
        return list_export(sessions, filename="sessions", title="Sessions")
    return page_answer(sessions, limit=filters.limit, offset=filters.offset)


@router.post(
    "/sessions",
    response={201: SessionOut, **WRITE_ERRORS},
    summary="Add a session",
    operation_id="sessions_create",
)
def create_session(request: HttpRequest, payload: SessionIn) -> Any:
    require(request, "clients.add_session")
    session = services.session_save(session=Session(**resolved(payload.dict())))
    return Status(201, _sessions().get(pk=session.pk))


@router.get(
    "/sessions/{session_id}",
    response={200: SessionOut, **READ_ERRORS},
    summary="A session",
    operation_id="sessions_get",
)
def get_session(request: HttpRequest, session_id: int) -> Any:
    require(request, "clients.view_session")
    return _sessions().get(pk=session_id)


def _change_session(session_id: int, changes: dict[str, Any]) -> Session:
    session = _sessions().get(pk=session_id)
    for name, value in resolved(changes).items():
        setattr(session, name, value)
    services.session_save(session=session)
    return _sessions().get(pk=session_id)


@router.put(
    "/sessions/{session_id}",
    response={200: SessionOut, **WRITE_ERRORS},
    summary="Replace a session",
    operation_id="sessions_replace",
)
def replace_session(request: HttpRequest, session_id: int, payload: SessionIn) -> Any:
    require(request, "clients.change_session")
    return _change_session(session_id, payload.dict())


@router.patch(
    "/sessions/{session_id}",
    response={200: SessionOut, **WRITE_ERRORS},
    summary="Change a session",
    operation_id="sessions_update",
)
def update_session(request: HttpRequest, session_id: int, payload: SessionPatch) -> Any:
    require(request, "clients.change_session")
    return _change_session(session_id, payload.dict(exclude_unset=True))


@router.delete(
    "/sessions/{session_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Delete a session",
    description="Refused (409 in_use) while the session has invoices.",
    operation_id="sessions_delete",
)
def delete_session(request: HttpRequest, session_id: int) -> Any:
    require(request, "clients.delete_session")
    services.session_delete(session=Session.objects.get(pk=session_id))
    return Status(204, None)
