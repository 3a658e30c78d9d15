"""/clients: the studio's customers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Status

from darkroom.api.auth import permitted
from darkroom.api.fields import sort_choice
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
    update_endpoint,
)
from darkroom.clients.models import Client
from darkroom.clients.schemas import ClientIn, ClientOut, ClientPage, ClientPatch

ClientSort = sort_choice(selectors.CLIENT_SORTING.columns)


class ClientQuery(ListQuery):
    sort: ClientSort = Field(None, description=SORT_HELP)


@list_endpoint(
    "/clients",
    ClientPage,
    summary="List clients",
    description="Search looks in names, email and phone numbers.",
    operation_id="clients_list",
    auth=permitted("clients.view_client"),
)
def list_clients(request: HttpRequest, filters: Query[ClientQuery]) -> Any:
    return list_answer(filters, selectors.client_list, selectors.CLIENT_SORTING, title="Clients")


@create_endpoint(
    "/clients",
    ClientOut,
    summary="Add a client",
    operation_id="clients_create",
    auth=permitted("clients.add_client"),
)
def create_client(request: HttpRequest, payload: ClientIn) -> Any:
    return Status(201, services.client_save(client=Client(**payload.dict())))


@get_endpoint(
    "/clients/{client_id}",
    ClientOut,
    summary="A client",
    operation_id="clients_get",
    auth=permitted("clients.view_client"),
)
def get_client(request: HttpRequest, client_id: int) -> Any:
    return Client.objects.get(pk=client_id)


@replace_endpoint(
    "/clients/{client_id}",
    ClientOut,
    summary="Replace a client",
    operation_id="clients_replace",
    auth=permitted("clients.change_client"),
)
def replace_client(request: HttpRequest, client_id: int, payload: ClientIn) -> Any:
    client = changed(Client.objects.get(pk=client_id), payload.dict())
    return services.client_save(client=client)


@update_endpoint(
    "/clients/{client_id}",
    ClientOut,
    summary="Change a client",
    operation_id="clients_update",
    auth=permitted("clients.change_client"),
)
def update_client(request: HttpRequest, client_id: int, payload: ClientPatch) -> Any:
    client = changed(Client.objects.get(pk=client_id), payload.dict(exclude_unset=True))
    return services.client_save(client=client)


@delete_endpoint(
    "/clients/{client_id}",
    summary="Delete a client",
    description="Refused (409 in_use) while the client has sessions or invoices.",
    operation_id="clients_delete",
    auth=permitted("clients.delete_client"),
)
def delete_client(request: HttpRequest, client_id: int) -> Any:
    services.client_delete(client=Client.objects.get(pk=client_id))
    return Status(204, None)
