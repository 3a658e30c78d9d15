"""Client pages: the list, one client with their sessions and invoices, the client form."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from darkroom.clients import selectors, services
from darkroom.clients.forms import ClientForm, ListFilters
from darkroom.clients.models import Client
from darkroom.clients.views.editing import delete_page, form_page
from darkroom.clients.views.listing import Col, ListPage
from darkroom.production.views.order_list import orders_section
from darkroom.studio.access import may, requires

CLIENTS = ListPage(
    title="Clients",
    noun="client",
    filters=ListFilters,
    select=selectors.client_list,
    sorting=selectors.CLIENT_SORTING,
    columns=(
        Col("name", "Name"),
        Col("email", "Email", narrow=False),
        Col("phone", "Phone"),
        Col(None, "Contact", narrow=False),
        Col("created", "Added", narrow=False),
    ),
    template="clients/client_list.html",
    rows_template="clients/client_rows.html",
    add_permission="clients.add_client",
    add_view="clients:client-create",
)
RECENT = 10


@requires("clients.view_client")
def client_list(request: HttpRequest) -> HttpResponse:
    return CLIENTS.response(request)


@requires("clients.view_client")
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    return render(
        request,
        "clients/client_detail.html",
        {
            "client": client,
            "sessions": selectors.page_of(selectors.session_list(client=client), limit=RECENT),
            "invoices": selectors.page_of(selectors.invoice_list(client=client), limit=RECENT),
            "can_edit": may(request, "clients.change_client"),
            "can_delete": may(request, "clients.delete_client"),
            "can_add_session": may(request, "clients.add_session"),
            "can_add_invoice": may(request, "clients.add_invoice"),
            **orders_section(request, client=client),
        },
    )


def choose_client(request: HttpRequest, *, purpose: str, next_url: str) -> HttpResponse:
    """Step one of a new session or invoice opened without a client: find the client."""
    search = request.GET.get("q", "").strip()
    found = selectors.page_of(selectors.client_list(search=search), limit=20) if search else None
    return render(
        request,
        "clients/choose_client.html",
        {
            "purpose": purpose,
            "next_url": next_url,
            "search": search,
            "found": found,
            "can_add_client": may(request, "clients.add_client"),
        },
    )


def client_from_query(request: HttpRequest) -> Client | None:
    """The client named by ``?client=`` (a new session or invoice opened from their page)."""
    text = request.GET.get("client", "")
    return get_object_or_404(Client, pk=int(text)) if text.isdigit() else None


def _client_form(request: HttpRequest, client: Client) -> HttpResponse:
    return form_page(
        request,
        form=ClientForm(request.POST or None, instance=client),
        save=lambda record: services.client_save(client=record),
        named=lambda record: record.name,
        template="clients/client_form.html",
        context={"client": client},
    )


@requires("clients.add_client")
def client_create(request: HttpRequest) -> HttpResponse:
    return _client_form(request, Client())


@requires("clients.change_client")
def client_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _client_form(request, get_object_or_404(Client, pk=pk))


@requires("clients.delete_client")
@require_POST
def client_delete(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    return delete_page(
        request,
        client,
        delete=lambda: services.client_delete(client=client),
        deleted=f"Deleted {client.name}.",
        then="clients:client-list",
    )
