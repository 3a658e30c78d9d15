"""The records a trigger acts on, and what each is attached to (its client, session, invoice,
vendor): one place that knows how sessions, invoices, orders and tasks hang together, for the
placeholders, the recipients and the communication logs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType

from darkroom.catalog.models import Vendor
from darkroom.clients.models import Client, Invoice, Session
from darkroom.database_limits import MOST_PARAMETERS
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.todos.models import Task

# What each kind of record needs joined to say everything about itself: what is the record's
# own (its client, invoice, session) is joined; what many records share (a vendor, a status, a
# person, a type) is read once for all of them and shared, which matters when thousands are
# loaded at once (the dry run).
RELATED: dict[type[Any], tuple[str, ...]] = {
    Session: ("client",),
    Invoice: ("client", "session"),
    ProductionOrder: ("client", "invoice", "invoice__session"),
    PreproductionOrder: ("session", "session__client"),
    Task: ("client", "session", "invoice", "production_order"),
}
SHARED: dict[type[Any], tuple[str, ...]] = {
    Session: ("session_type", "status", "status_user", "status_department"),
    Invoice: ("session__session_type", "status", "status_user", "status_department"),
    ProductionOrder: (
        "invoice__session__session_type",
        "vendor",
        "order_type",
        "status",
        "status_user",
        "status_department",
    ),
    PreproductionOrder: (
        "session__session_type",
        "vendor",
        "status",
        "status_user",
        "status_department",
    ),
    Task: ("status", "status_user", "status_department", "assigned_user", "assigned_department"),
}


@dataclass(frozen=True)
class RecordParts:
    """What a record is attached to; None where it has no such thing."""

    client: Client | None
    session: Session | None
    invoice: Invoice | None
    vendor: Vendor | None
    order_number: str
    order_type: str


def record_parts(record: Any) -> RecordParts:
    """The client, session, invoice and vendor of a session, invoice, order or task."""
    if isinstance(record, Session):
        return RecordParts(record.client, record, None, None, "", "")
    if isinstance(record, Invoice):
        return RecordParts(record.client, record.session, record, None, "", "")
    if isinstance(record, ProductionOrder):
        invoice = record.invoice
        return RecordParts(
            record.client,
            invoice.session if invoice.session_id else None,
            invoice,
            record.vendor,
            record.number or "",
            str(record.order_type),
        )
    if isinstance(record, PreproductionOrder):
        session = record.session
        return RecordParts(session.client, session, None, record.vendor, record.number or "", "")
    if isinstance(record, Task):
        order = record.production_order if record.production_order_id else None
        return RecordParts(
            record.client if record.client_id else None,
            record.session if record.session_id else None,
            record.invoice if record.invoice_id else None,
            None,
            (order.number or "") if order is not None else "",
            "",
        )
    raise TypeError(f"{type(record).__name__} is not a record triggers act on")


def load_records(content_type_id: int, ids: list[int]) -> dict[int, Any]:
    """The records of one kind by id, with everything the placeholders and recipients read."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return {}
    found: dict[int, Any] = {}
    query = model.objects.select_related(*RELATED.get(model, ())).prefetch_related(
        *SHARED.get(model, ())
    )
    for start in range(0, len(ids), MOST_PARAMETERS):
        found.update((r.pk, r) for r in query.filter(pk__in=ids[start : start + MOST_PARAMETERS]))
    return found


def record_label(record: Any) -> str:
    """ "Album Order order #48213 (Miller Lab)": the record in words, as its page names it."""
    return str(record)
