"""/clients: the studio's customers."""

from __future__ import annotations

from typing import Any

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
    router,
)
from darkroom.clients.exports import list_export
from darkroom.clients.models import Client
from darkroom.clients.schemas import ClientIn, ClientOut, ClientPage, ClientPatch


@router.get(
    "/clients",
    response={200: ClientPage, **LIST_ERRORS},
    summary="List clients",
    description="Search looks in names, email and phone numbers.",
    openapi_extra=EXCEL,
    operation_id="clients_list",
)
def list_clients(request: HttpRequest, filters: Query[ListQuery]) -> Any:
    require(request, "clients.view_client")
    sort = checked_sort(filters.sort, selectors.CLIENT_SORTS, selectors.CLIENT_DEFAULT_SORT)
    clients = selectors.client_list(search=filters.search, sort=sort)
    if filters.format == "xlsx":
        return list_export(clients, filename="clients", title="Clients")
    return page_answer(clients, limit=filters.limit, offset=filters.offset)


@router.post(
    "/clients",
    response={201: ClientOut, **WRITE_ERRORS},
    summary="Add a client",
    operation_id="clients_create",
)
def create_client(request: HttpRequest, payload: ClientIn) -> Any:
    require(request, "clients.add_client")
    return Status(201, services.client_save(client=Client(**payload.dict())))


@router.get(
    "/clients/{client_id}",
    response={200: ClientOut, **READ_ERRORS},
    summary="A client",
    operation_id="clients_get",
)
def get_client(request: HttpRequest, client_id: int) -> Any:
    require(request, "clients.view_client")
    return Client.objects.get(pk=client_id)


def _change_client(client_id: int, changes: dict[str, Any]) -> Client:
    client = Client.objects.get(pk=client_id)
    for name, value in changes.items():
        setattr(client, name, value)
    return services.client_save(client=client)


@router.put(
    "/clients/{client_id}",
    response={200: ClientOut, **WRITE_ERRORS},
    summary="Replace a client",
    operation_id="clients_replace",
)
def replace_client(request: HttpRequest, client_id: int, payload: ClientIn) -> Any:
    require(request, "clients.change_client")
    return _change_client(client_id, payload.dict())


@router.patch(
    "/clients/{client_id}",
    response={200: ClientOut, **WRITE_ERRORS},
    summary="Change a client",
    operation_id="clients_update",
)
def update_client(request: HttpRequest, client_id: int, payload: ClientPatch) -> Any:
    require(request, "clients.change_client")
    return _change_client(client_id, payload.dict(exclude_unset=True))


@router.delete(
    "/clients/{client_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Delete a client",
    description="Refused (409 in_use) while the client has sessions or invoices.",
    operation_id="clients_delete",
)
def delete_client(request: HttpRequest, client_id: int) -> Any:
    require(request, "clients.delete_client")
    services.client_delete(client=Client.objects.get(pk=client_id))
    return Status(204, None)
