"""The columns of the client, session and invoice lists when exported to Excel or printed.

Pages, their print views and the API's ``?format=xlsx`` share these, so a list looks the same
wherever it is taken from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpResponse

from darkroom.clients.models import Client, Invoice, Session
from darkroom.spreadsheets import Money, xlsx_response
from darkroom.tracking.models import TrackedRecord


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    numeric: bool = False


def _yes(flag: bool) -> str:
    return "yes" if flag else ""


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


CLIENT_COLUMNS = (
    Column("Last name", lambda c: c.last_name),
    Column("First name", lambda c: c.first_name),
    Column("Email", lambda c: c.email),
    Column("Mobile phone", lambda c: c.mobile),
    Column("Phone", lambda c: c.phone),
    Column("Address", lambda c: c.address),
    Column("Lead source", lambda c: c.lead_source),
    Column("Do not market", lambda c: _yes(c.do_not_market)),
    Column("Do not call", lambda c: _yes(c.do_not_call)),
)

SESSION_COLUMNS = (
    Column("Date", lambda s: s.date),
    Column("Client", lambda s: s.client.name),
    Column("Session type", lambda s: s.session_type.name),
    Column("Photographer", lambda s: _person(s.photographer)),
    Column("Status", lambda s: _status(s)),
    Column("Status due", lambda s: s.status_due_date),
    Column("Notes", lambda s: s.notes),
)

INVOICE_COLUMNS = (
    Column("Invoice", lambda i: i.number),
    Column("Date", lambda i: i.invoice_date),
    Column("Client", lambda i: i.client.name),
    Column("Promised", lambda i: i.approximate_delivery_date),
    Column("Delivered", lambda i: i.delivered_date),
    Column("Total", lambda i: Money(i.total), numeric=True),
    Column("Paid", lambda i: Money(i.paid), numeric=True),
    Column("Balance", lambda i: Money(i.total - i.paid), numeric=True),
    Column("Status", lambda i: _status(i)),
    Column("Status due", lambda i: i.status_due_date),
)

COLUMNS: dict[type[Model], tuple[Column, ...]] = {
    Client: CLIENT_COLUMNS,
    Session: SESSION_COLUMNS,
    Invoice: INVOICE_COLUMNS,
}


def _status(record: Any) -> str:
    return record.status.description if record.status_id else ""


def table_rows(columns: Sequence[Column], records: Iterable[Any]) -> Iterator[list[Any]]:
    for record in records:
        yield [column.value(record) for column in columns]


def list_export(queryset: QuerySet[Any], *, filename: str, title: str) -> HttpResponse:
    """Every row of the list as an .xlsx download (rows stream from the database in chunks)."""
    columns = COLUMNS[queryset.model]
    if issubclass(queryset.model, TrackedRecord):
        queryset = queryset.select_related("status")
    return xlsx_response(
        filename,
        title,
        [c.header for c in columns],
        table_rows(columns, queryset.iterator(chunk_size=2000)),
    )
