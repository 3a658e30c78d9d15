"""Session pages: the list, one session with its invoices, the session form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from darkroom.clients import selectors, services
from darkroom.clients.forms import SessionFilters, SessionForm, add_service_errors, describe
from darkroom.clients.models import Session
from darkroom.clients.views.clients import choose_client, client_from_query
from darkroom.clients.views.listing import Col, headers, list_response
from darkroom.errors import RecordInUse
from darkroom.studio.access import may, requires

SESSION_COLUMNS = (
    Col("date", "Date"),
    Col("client", "Client"),
    Col("type", "Type"),
    Col("photographer", "Photographer", narrow=False),
    Col(None, "Notes", narrow=False),
)


@requires("clients.view_session")
def session_list(request: HttpRequest) -> HttpResponse:
    filters = SessionFilters(request.GET)
    values = filters.values()
    sort = selectors.sort_key(
        values.pop("sort", None), selectors.SESSION_SORTS, selectors.SESSION_DEFAULT_SORT
    )
    sessions = selectors.session_list(search=values.pop("q", ""), sort=sort, **values)
    return list_response(
        request,
        queryset=sessions,
        template="clients/session_list.html",
        rows_template="clients/session_rows.html",
        context={
            "filters": filters,
            "client": values.get("client"),
            "headers": headers(request, SESSION_COLUMNS, sort),
            "can_add": may(request, "clients.add_session"),
        },
        title="Sessions",
        filename="sessions",
        described=describe(filters),
    )


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
        },
    )


def _session_form(request: HttpRequest, session: Session) -> HttpResponse:
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        adding = session.pk is None
        try:
            services.session_save(session=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{'Added' if adding else 'Saved'} the session.")
            return redirect(session)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "clients/session_form.html", {"form": form, "session": session}, status=status
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
    try:
        services.session_delete(session=session)
    except RecordInUse as exc:
        messages.error(request, exc.message)
        return redirect(session)
    messages.success(request, "Deleted the session.")
    return redirect(session.client)
