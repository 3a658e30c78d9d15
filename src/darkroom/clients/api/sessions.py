"""/sessions: the shoots."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Status

from darkroom.api.auth import permitted
from darkroom.api.fields import Day, sort_choice
from darkroom.clients import selectors, services
from darkroom.clients.api.conventions import (
    SORT_HELP,
    ListQuery,
    changed,
    create_endpoint,
    delete_endpoint,
    get_endpoint,
    list_answer,
    list_endpoint,
    replace_endpoint,
    resolved,
    update_endpoint,
)
from darkroom.clients.models import Session
from darkroom.clients.schemas import SessionIn, SessionOut, SessionPage, SessionPatch

SessionSort = sort_choice(selectors.SESSION_SORTING.columns)


class SessionQuery(ListQuery):
    sort: SessionSort = Field(None, description=SORT_HELP)
    client: int | None = None
    session_type: int | None = None
    photographer: int | None = None
    date_from: Day | None = None
    date_to: Day | None = None


def _sessions() -> QuerySet[Session]:
    return Session.objects.select_related("client", "session_type")


def _saved(request: HttpRequest, session: Session) -> Session:
    """Save through the service, then answer with the session as read back."""
    services.session_save(session=session, by=request.user)
    return _sessions().get(pk=session.pk)


@list_endpoint(
    "/sessions",
    SessionPage,
    summary="List sessions",
    description="Search looks in the client's name.",
    operation_id="sessions_list",
    auth=permitted("clients.view_session"),
)
def list_sessions(request: HttpRequest, filters: Query[SessionQuery]) -> Any:
    return list_answer(filters, selectors.session_list, selectors.SESSION_SORTING, title="Sessions")


@create_endpoint(
    "/sessions",
    SessionOut,
    summary="Add a session",
    operation_id="sessions_create",
    auth=permitted("clients.add_session"),
)
def create_session(request: HttpRequest, payload: SessionIn) -> Any:
    return Status(201, _saved(request, Session(**resolved(payload.dict()))))


@get_endpoint(
    "/sessions/{int:session_id}",
    SessionOut,
    summary="A session",
    operation_id="sessions_get",
    auth=permitted("clients.view_session"),
)
def get_session(request: HttpRequest, session_id: int) -> Any:
    return _sessions().get(pk=session_id)


@replace_endpoint(
    "/sessions/{int:session_id}",
    SessionOut,
    summary="Replace a session",
    operation_id="sessions_replace",
    auth=permitted("clients.change_session"),
)
def replace_session(request: HttpRequest, session_id: int, payload: SessionIn) -> Any:
    return _saved(request, changed(_sessions().get(pk=session_id), payload.dict()))


@update_endpoint(
    "/sessions/{int:session_id}",
    SessionOut,
    summary="Change a session",
    operation_id="sessions_update",
    auth=permitted("clients.change_session"),
)
def update_session(request: HttpRequest, session_id: int, payload: SessionPatch) -> Any:
    changes = payload.dict(exclude_unset=True)
    return _saved(request, changed(_sessions().get(pk=session_id), changes))


@delete_endpoint(
    "/sessions/{int:session_id}",
    summary="Delete a session",
    description="Refused (409 in_use) while the session has invoices.",
    operation_id="sessions_delete",
    auth=permitted("clients.delete_session"),
)
def delete_session(request: HttpRequest, session_id: int) -> Any:
    services.session_delete(session=Session.objects.get(pk=session_id))
    return Status(204, None)
