"""Session pages: the list, one session with its invoices, the session form."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from darkroom.clients import selectors, services
from darkroom.clients.forms import SessionFilters, SessionForm
from darkroom.clients.models import Session
from darkroom.clients.views.clients import choose_client, client_from_query
from darkroom.clients.views.editing import delete_page, form_page
from darkroom.clients.views.listing import Col, ListPage
from darkroom.production.views.order_list import orders_section
from darkroom.production.views.proof_orders import proof_orders_section
from darkroom.studio.access import may, requires
from darkroom.tracking.views import changes as status_pages

SESSIONS = ListPage(
    title="Sessions",
    noun="session",
    filters=SessionFilters,
    select=lambda **given: selectors.session_list(**given).select_related("status"),
    sorting=selectors.SESSION_SORTING,
    columns=(
        Col("date", "Date"),
        Col("client", "Client"),
        Col("type", "Type"),
        Col("photographer", "Photographer", narrow=False),
        Col("status", "Status"),
        Col("due", "Due"),
        Col(None, "Notes", narrow=False),
    ),
    template="clients/session_list.html",
    rows_template="clients/session_rows.html",
    add_permission="clients.add_session",
    add_view="clients:session-create",
    scope=("client",),
    more_context=status_pages.SESSIONS.list_context,
)


@requires("clients.view_session")
def session_list(request: HttpRequest) -> HttpResponse:
    return SESSIONS.response(request)


@requires("clients.view_session")
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        Session.objects.select_related("client", "session_type", "photographer"), pk=pk
    )
    return render(
        request,
        "clients/session_detail.html",
        {
            "session": session,
            "invoices": selectors.page_of(selectors.invoice_list(session=session), limit=20),
            "can_edit": may(request, "clients.change_session"),
            "can_delete": may(request, "clients.delete_session"),
            "can_add_invoice": may(request, "clients.add_invoice"),
            **status_pages.status_section(request, session),
            **proof_orders_section(request, session),
            **orders_section(request, session=session),
        },
    )


def _session_form(request: HttpRequest, session: Session) -> HttpResponse:
    return form_page(
        request,
        form=SessionForm(request.POST or None, instance=session),
        save=lambda record: services.session_save(session=record),
        named=lambda record: "the session",
        template="clients/session_form.html",
        context={"session": session},
    )


@requires("clients.add_session")
def session_create(request: HttpRequest) -> HttpResponse:
    client = client_from_query(request)
    if client is None:
        return choose_client(
            request, purpose="a new session", next_url=reverse("clients:session-create")
        )
    today = selectors.studio_preferences().today()
    return _session_form(request, Session(client=client, date=today))


@requires("clients.change_session")
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Session.objects.select_related("client"), pk=pk)
    return _session_form(request, session)


@requires("clients.delete_session")
@require_POST
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Session.objects.select_related("client"), pk=pk)
    return delete_page(
        request,
        session,
        delete=lambda: services.session_delete(session=session),
        deleted="Deleted the session.",
        then=session.client,
    )
