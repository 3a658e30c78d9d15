"""Reads of clients, sessions and invoices: the lists (search, filters, sort, one page at a time)
and the records behind each page. Pages, exports and the API all read through here.

Lists never count all rows: a page fetches one row more than it shows to know whether there is
more (``Page.has_more``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, Model, Prefetch, Q, QuerySet

from darkroom.catalog.models import PriceListItem, Vendor
from darkroom.clients.models import Client, Invoice, InvoiceLine, Payment, Session, SessionType
from darkroom.studio.selectors import studio_preferences

R = TypeVar("R", bound=Model)

PaidState = Literal["paid", "unpaid"]


@dataclass(frozen=True)
class Sorting:
    """The sorts a list offers (``?sort=name``, ``?sort=-name``), the columns behind each, and
    the list's own order. The id breaks ties so pages never repeat or skip a row."""

    columns: dict[str, tuple[str, ...]]
    default: str

    def offers(self, sort: str) -> bool:
        return sort.removeprefix("-") in self.columns

    def key(self, sort: str | None) -> str:
        """The sort asked for if the list offers it, else the list's default."""
        return sort if sort and self.offers(sort) else self.default

    def ordering(self, sort: str | None) -> list[str]:
        key = self.key(sort)
        descending = key.startswith("-")
        columns = [*self.columns[key.removeprefix("-")], "id"]
        return [f"-{c}" if descending else c for c in columns]


CLIENT_SORTING = Sorting(
    columns={
        "name": ("last_name", "first_name"),
        "email": ("email",),
        "phone": ("phone",),
        "created": ("created_at",),
    },
    default="name",
)
SESSION_SORTING = Sorting(
    columns={
        "date": ("date",),
        "client": ("client__last_name", "client__first_name"),
        "type": ("session_type__name",),
        "photographer": ("photographer__last_name", "photographer__first_name"),
        "status": ("status__description",),
        "due": ("status_due_date",),
    },
    default="-date",
)
INVOICE_SORTING = Sorting(
    columns={
        "number": (),
        "date": ("invoice_date",),
        "client": ("client__last_name", "client__first_name"),
        "promised": ("approximate_delivery_date",),
        "delivered": ("delivered_date",),
        "total": ("total",),
        "paid": ("paid",),
        "balance": ("balance_due",),
        "status": ("status__description",),
        "due": ("status_due_date",),
    },
    default="-date",
)


@dataclass(frozen=True)
class Page(Generic[R]):
    """One page of a list: its rows and whether more follow."""

    rows: list[R]
    offset: int
    limit: int
    has_more: bool

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.has_more else None


def page_of(queryset: QuerySet[R], *, offset: int = 0, limit: int = 50) -> Page[R]:
    """The rows from ``offset``; one extra row is fetched to learn whether more follow."""
    offset = max(0, offset)
    limit = max(1, limit)
    rows = list(queryset[offset : offset + limit + 1])
    return Page(rows=rows[:limit], offset=offset, limit=limit, has_more=len(rows) > limit)


def _words(search: str) -> list[str]:
    """At most five words; NUL is dropped (PostgreSQL refuses it even in a search)."""
    return search.replace("\x00", "").split()[:5]


def _narrowed(queryset: QuerySet[R], **lookups: object) -> QuerySet[R]:
    """The rows matching every lookup that was given; a filter left as None is not applied."""
    given = {lookup: value for lookup, value in lookups.items() if value is not None}
    return queryset.filter(**given) if given else queryset


def client_list(*, search: str = "", sort: str | None = None) -> QuerySet[Client]:
    """Clients whose name, email or phone numbers contain every word searched for."""
    clients = Client.objects.all()
    for word in _words(search):
        clients = clients.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(phone__icontains=word)
            | Q(mobile__icontains=word)
        )
    return clients.order_by(*CLIENT_SORTING.ordering(sort))


def _client_name_matches(word: str, prefix: str = "client__") -> Q:
    return Q(**{f"{prefix}first_name__icontains": word}) | Q(
        **{f"{prefix}last_name__icontains": word}
    )


def session_list(
    *,
    search: str = "",
    client: Client | int | None = None,
    session_type: SessionType | int | None = None,
    photographer: AbstractBaseUser | int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    sort: str | None = None,
) -> QuerySet[Session]:
    """Sessions by client name, type, photographer and shoot date."""
    sessions = Session.objects.select_related(
        "client", "session_type", "photographer", *Session.STATE_RELATIONS
    )
    for word in _words(search):
        sessions = sessions.filter(_client_name_matches(word))
    sessions = _narrowed(
        sessions,
        client=client,
        session_type=session_type,
        photographer=photographer,
        date__gte=date_from,
        date__lte=date_to,
    )
    return sessions.order_by(*SESSION_SORTING.ordering(sort))


def invoice_list(
    *,
    search: str = "",
    client: Client | int | None = None,
    session: Session | int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    paid: PaidState | None = None,
    delivered: bool | None = None,
    promised_within: int | None = None,
    today: dt.date | None = None,
    sort: str | None = None,
) -> QuerySet[Invoice]:
    """Invoices by client name or number, invoice date, payment, delivery, and promised date.

    ``promised_within=N`` keeps invoices whose approximate delivery date (the date promised to
    the client) falls between ``today`` (default: the studio's today) and N days later.
    """
    invoices = Invoice.objects.select_related(
        "client", "session", *Invoice.STATE_RELATIONS
    ).annotate(balance_due=F("total") - F("paid"))
    for word in _words(search):
        match = _client_name_matches(word)
        number = word.lstrip("#")
        if number.isdigit() and len(number) <= 12:
            match |= Q(pk=int(number))
        invoices = invoices.filter(match)
    invoices = _narrowed(
        invoices,
        client=client,
        session=session,
        invoice_date__gte=date_from,
        invoice_date__lte=date_to,
        delivered_date__isnull=None if delivered is None else not delivered,
    )
    if paid == "paid":
        invoices = invoices.filter(paid__gte=F("total"))
    elif paid == "unpaid":
        invoices = invoices.filter(paid__lt=F("total"))
    if promised_within is not None:
        start = today or studio_preferences().today()
        invoices = invoices.filter(
            approximate_delivery_date__gte=start,
            approximate_delivery_date__lte=start + dt.timedelta(days=max(0, promised_within)),
        )
    return invoices.order_by(*INVOICE_SORTING.ordering(sort))


def client_detail(*, pk: int) -> Client:
    return Client.objects.get(pk=pk)


def session_detail(*, pk: int) -> Session:
    return Session.objects.select_related("client", "session_type", "photographer").get(pk=pk)


def invoice_detail(*, pk: int) -> Invoice:
    """The invoice with everything its page shows: client, session, lines with their items and
    vendors, payments."""
    lines = InvoiceLine.objects.select_related("item__preferred_vendor", "vendor_override")
    return (
        Invoice.objects.select_related("client", "session__session_type", "created_by")
        .prefetch_related(
            Prefetch("lines", queryset=lines), Prefetch("payments", queryset=Payment.objects.all())
        )
        .get(pk=pk)
    )


def invoice_lines(*, invoice: Invoice) -> QuerySet[InvoiceLine]:
    return invoice.lines.select_related("item__preferred_vendor", "vendor_override")


def items_for_lines(*, keep: Sequence[int] = ()) -> QuerySet[PriceListItem]:
    """Price list items a line may choose: the active ones, plus any already on the invoice
    (``keep``) so an old line still shows its retired item."""
    return (
        PriceListItem.objects.filter(Q(is_inactive=False) | Q(pk__in=list(keep)))
        .select_related("preferred_vendor")
        .order_by("identifier")
    )


def vendors_for_lines(*, keep: Sequence[int] = ()) -> QuerySet[Vendor]:
    """Vendors a line may be sent to instead of the item's preferred one."""
    return Vendor.objects.filter(Q(is_inactive=False) | Q(pk__in=list(keep))).order_by("name")


def session_types_for_choice(*, keep: int | None = None) -> QuerySet[SessionType]:
    """Active session types, plus the session's own type if it has since been retired."""
    return SessionType.objects.filter(Q(is_inactive=False) | Q(pk=keep)).order_by("position", "id")


def photographers() -> QuerySet[AbstractBaseUser]:
    """People who may be named as a session's photographer: everyone active."""
    User = get_user_model()
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")
