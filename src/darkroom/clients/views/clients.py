"""Client pages: the list, one client with their sessions and invoices, the client form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from darkroom.clients import selectors, services
from darkroom.clients.forms import ClientForm, ListFilters, add_service_errors, describe
from darkroom.clients.models import Client
from darkroom.clients.views.listing import Col, headers, list_response
from darkroom.errors import RecordInUse
from darkroom.studio.access import may, requires

CLIENT_COLUMNS = (
    Col("name", "Name"),
    Col("email", "Email", narrow=False),
    Col("phone", "Phone"),
    Col(None, "Contact", narrow=False),
    Col("created", "Added", narrow=False),
)
RECENT = 10


@requires("clients.view_client")
def client_list(request: HttpRequest) -> HttpResponse:
    filters = ListFilters(request.GET)
    values = filters.values()
    sort = selectors.sort_key(
        values.get("sort"), selectors.CLIENT_SORTS, selectors.CLIENT_DEFAULT_SORT
    )
    clients = selectors.client_list(search=values.get("q", ""), sort=sort)
    return list_response(
        request,
        queryset=clients,
        template="clients/client_list.html",
        rows_template="clients/client_rows.html",
        context={
            "filters": filters,
            "headers": headers(request, CLIENT_COLUMNS, sort),
            "can_add": may(request, "clients.add_client"),
        },
        title="Clients",
        filename="clients",
        described=describe(filters),
    )


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
    form = ClientForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        adding = client.pk is None
        try:
            services.client_save(client=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{'Added' if adding else 'Saved'} {client.name}.")
            return redirect(client)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "client": client}
    return render(request, "clients/client_form.html", context, status=status)


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
    try:
        services.client_delete(client=client)
    except RecordInUse as exc:
        messages.error(request, exc.message)
        return redirect(client)
    messages.success(request, f"Deleted {client.name}.")
    return redirect("clients:client-list")
