"""Pages of every maintenance list in the registry: the index of lists, then per list its list,
add and edit forms, delete (refused with "make inactive" offered when the record is in use),
make inactive, and move up / down for lists the studio arranges by hand."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.views.decorators.http import require_POST

from darkroom.back_urls import back_url
from darkroom.errors import RecordInUse
from darkroom.form_errors import add_service_errors
from darkroom.maintenance import forms as mforms
from darkroom.maintenance.registry import MaintenanceList, maintenance_list, maintenance_lists
from darkroom.maintenance.selectors import (
    cell_value,
    list_columns,
    maintenance_records,
    move_steps,
)
from darkroom.maintenance.views.listing import Row, list_query, records_shown, render_list
from darkroom.maintenance.views.studio import studio_cards
from darkroom.record_writes import record_delete, record_move, record_set_inactive
from darkroom.studio.access import check_permission, may, requires

# Cards of the apps above the maintenance lists, by group and the dotted path of a function of the
# request (None: that person doesn't see the card). Named, not imported: those apps build their
# own pages on these lists.
MORE_CARDS = (("Messages", "darkroom.messaging.views.triggers.maintenance_card"),)


def _entry(slug: str) -> MaintenanceList:
    entry = maintenance_list(slug)
    if entry is None:
        raise Http404("No such maintenance list.")
    return entry


def _list_url(entry: MaintenanceList) -> str:
    return reverse("maintenance:record-list", args=[entry.slug])


@requires()
def index(request: HttpRequest) -> HttpResponse:
    """The lists grouped as the registry groups them; only those the role may see."""
    groups: dict[str, list[dict[str, str]]] = {}
    for entry in maintenance_lists():
        if may(request, entry.permission("view")):
            groups.setdefault(entry.group, []).append(
                {"title": entry.title, "description": entry.description, "url": _list_url(entry)}
            )
    if may(request, "tracking.view_status"):
        groups.setdefault("Production", []).append(
            {
                "title": "Statuses",
                "description": "The steps sessions, invoices, orders and tasks go through, "
                "in order.",
                "url": reverse("tracking:statuses"),
            }
        )
    if may(request, "production.change_productionautomation"):
        groups.setdefault("Production", []).append(
            {
                "title": "Production automation",
                "description": "When an invoice's production orders are made, and what happens "
                "when they are all final.",
                "url": reverse("production:automation"),
            }
        )
    if may(request, "messaging.view_messagetemplate"):
        groups.setdefault("Messages", []).append(
            {
                "title": "Message templates",
                "description": "The words of the emails, SMS and letters triggers send.",
                "url": reverse("messaging:template-list"),
            }
        )
    for group, card_of in MORE_CARDS:
        card = import_string(card_of)(request)
        if card is not None:
            groups.setdefault(group, []).append(card)
    groups["Studio"] = studio_cards(request) + groups.get("Studio", [])
    listed = [(name, cards) for name, cards in groups.items() if cards]
    return render(request, "maintenance/index.html", {"groups": listed})


def _search_hint(entry: MaintenanceList) -> str:
    """ "Search identifier, description, group": what the search box looks in."""
    meta = entry.model._meta
    names = [str(meta.get_field(path.split("__")[0]).verbose_name) for path in entry.search]
    unique = list(dict.fromkeys(names))
    return "Search " + ", ".join(unique) if unique else "Search"


@requires()
def record_list(request: HttpRequest, slug: str) -> HttpResponse:
    entry = _entry(slug)
    check_permission(request, entry.permission("view"))
    form = mforms.MaintenanceListQueryForm(request.GET, entry=entry)
    query = list_query(request, form, list(entry.columns))
    shown = records_shown(request, maintenance_records(entry=entry, query=query))
    columns = list_columns(entry)
    rows = [
        Row(
            pk=record.pk,
            label=str(record),
            cells=[(c, cell_value(record, c.name)) for c in columns],
            url=reverse("maintenance:record-edit", args=[slug, record.pk]),
            inactive=bool(getattr(record, "is_inactive", False)),
        )
        for record in shown.records
    ]
    may_change = may(request, entry.permission("change"))
    may_add = may(request, entry.permission("add"))
    context = {
        "entry": entry,
        "slug": slug,
        "title": entry.title,
        "description": entry.description,
        "noun": str(entry.model._meta.verbose_name_plural),
        "filter_form": form,
        "search_hint": _search_hint(entry),
        "retirable": entry.retirable,
        "may_change": may_change,
        "add_url": reverse("maintenance:record-create", args=[slug]) if may_add else "",
        "add_label": f"Add {entry.singular}",
        # Moving rows only makes sense in the order the studio arranged them.
        "can_move": entry.ordered and may_change and query.in_hand_order,
        "show_move_hint": entry.ordered and may_change and not query.in_hand_order,
    }
    return render_list(
        request,
        context=context,
        query=query,
        columns=columns,
        rows=rows,
        shown=shown,
        filename=slug,
    )


def _form_page(
    request: HttpRequest,
    entry: MaintenanceList,
    form: mforms.MaintenanceForm,
    record: models.Model | None,
    *,
    in_use: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "entry": entry,
        "form": form,
        "record": record,
        "back": back_url(request, _list_url(entry)),
        "may_change": may(request, entry.permission("change" if record else "add")),
        "may_delete": record is not None and may(request, entry.permission("delete")),
        "may_retire": (
            record is not None and entry.retirable and may(request, entry.permission("change"))
        ),
        "in_use": in_use,
    }
    return render(request, "maintenance/form.html", context, status=status)


def _saved(form: mforms.MaintenanceForm) -> models.Model | None:
    """The record saved through the service, or None with the refusal shown on the form."""
    if not form.is_valid():
        return None
    try:
        return form.save_record()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


@requires()
def record_create(request: HttpRequest, slug: str) -> HttpResponse:
    entry = _entry(slug)
    check_permission(request, entry.permission("add"))
    Form = mforms.maintenance_form(entry)
    form = Form(request.POST) if request.method == "POST" else Form()
    if request.method == "POST":
        record = _saved(form)
        if record is not None:
            messages.success(request, f"Added “{record}”.")
            return redirect(back_url(request, _list_url(entry)))
    return _form_page(request, entry, form, None)


@requires()
def record_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The record's form; people who may only look see it with every field disabled."""
    entry = _entry(slug)
    check_permission(request, entry.permission("view"))
    record = get_object_or_404(entry.model, pk=pk)
    Form = mforms.maintenance_form(entry)
    if request.method == "POST":
        check_permission(request, entry.permission("change"))
        form = Form(request.POST, instance=record)
        saved = _saved(form)
        if saved is not None:
            messages.success(request, f"Saved “{saved}”.")
            return redirect(back_url(request, _list_url(entry)))
        record.refresh_from_db()  # the heading names the record as stored, not as mistyped
    else:
        form = Form(instance=record)
        if not may(request, entry.permission("change")):
            mforms.disable_all(form)
    return _form_page(request, entry, form, record)


@requires()
@require_POST
def record_delete_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    entry = _entry(slug)
    check_permission(request, entry.permission("delete"))
    record = get_object_or_404(entry.model, pk=pk)
    name = str(record)
    try:
        record_delete(record=record)
    except RecordInUse as exc:
        form = mforms.maintenance_form(entry)(instance=record)
        return _form_page(request, entry, form, record, in_use=exc.message, status=409)
    messages.success(request, f"Deleted “{name}”.")
    return redirect(back_url(request, _list_url(entry)))


@requires()
@require_POST
def record_inactive_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Make a record inactive (``inactive=0`` brings it back)."""
    entry = _entry(slug)
    if not entry.retirable:
        raise Http404("This list has no inactive records.")
    check_permission(request, entry.permission("change"))
    record = get_object_or_404(entry.model, pk=pk)
    inactive = request.POST.get("inactive", "1") != "0"
    record_set_inactive(record=record, inactive=inactive)
    if inactive:
        messages.success(
            request,
            f"“{record}” is now inactive: it keeps its history but can't be chosen for new work.",
        )
    else:
        messages.success(request, f"“{record}” is active again.")
    return redirect(back_url(request, _list_url(entry)))


@requires()
@require_POST
def record_move_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Move a row up or down past its visible neighbour; back to the list, at the row."""
    entry = _entry(slug)
    if not entry.ordered:
        raise Http404("This list is not arranged by hand.")
    check_permission(request, entry.permission("change"))
    record = get_object_or_404(entry.model, pk=pk)
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        return HttpResponse("Direction must be up or down.", status=400)
    steps = move_steps(
        record=record, direction=direction, include_inactive=request.POST.get("inactive") == "show"
    )
    with transaction.atomic():
        for _ in range(steps):
            record_move(record=record, direction=direction)
    back = back_url(request, _list_url(entry))
    return redirect(f"{back.split('#')[0]}#row-{record.pk}")
