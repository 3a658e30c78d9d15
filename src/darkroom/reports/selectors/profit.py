"""The profit analysis: what the sessions invoiced in a range of invoice dates brought in, what
they cost, and what is left, per session type, photographer or lead source.

* **Revenue** is the invoices' subtotals (``Invoice.total``: the sum of their lines; payments
  don't change it) of the invoices dated in the range, both days included.
* **Product costs** come from where the studio's preference (``StudioPreferences.profit_costs``)
  says: the price list (each line's quantity × its item's cost; a line whose item has no cost,
  zero, is counted as *without a cost*) or the production orders of those invoices (their
  ``vendor_invoice_amount``; an order whose bill hasn't come is counted *without a vendor
  amount*). Never taken as free in silence: each group says how many.
* **Preproduction costs** are added either way: the proof orders of the sessions the report
  counts (a session counts when one of its invoices is in the range), the whole of them; one
  without a cost is counted the same way.
* A **session** belongs to the group of its type, its photographer (or "No photographer") or its
  client's lead source (or "No lead source"). An invoice without a session is in the
  "No session" group for type and photographer (its client's lead source otherwise); it has
  revenue and costs but adds no session, so the averages per session leave it out.

Why it is shaped this way: a studio keeps every invoice it ever wrote, so every read starts from
``invoice_date_idx`` (invoice date, id) — a year is one range of it — and joins outward by
primary key or by the foreign-key indexes (lines by invoice, production orders by invoice,
proof orders by session). Four grouped queries (revenue, product costs, proof costs, the
groups' names), whatever the number of invoices; rows are sessions a page at a time by id.

One module on purpose (past 400 lines): the groups' figures and the sessions' rows are read
under the same range, filters, grouping keys and cost columns, built here once, so a session
listed under a group is always one of that group's figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection

from darkroom.catalog.models import PriceListItem
from darkroom.clients.models import Client, Invoice, InvoiceLine, Session, SessionType
from darkroom.page_cursors import cursor_envelope, cursor_text
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.reports.selectors.common import day, money, quoted, table, url_of
from darkroom.studio.models import ProfitCosts

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
EXPORT_BATCH = 500
SORT = "session"  # the rows' one order: by session id
KIND = "profit"

SESSION_TYPE = "session_type"
PHOTOGRAPHER = "photographer"
LEAD_SOURCE = "lead_source"
GROUPINGS = {
    SESSION_TYPE: "Session type",
    PHOTOGRAPHER: "Photographer",
    LEAD_SOURCE: "Lead source",
}
COST_SOURCES = {
    ProfitCosts.PRICE_LIST: "product costs from the price list",
    ProfitCosts.VENDOR_INVOICES: "product costs from the vendors' invoices",
}
NO_SESSION = "No session"
NO_PHOTOGRAPHER = "No photographer"
NO_LEAD_SOURCE = "No lead source"
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ProfitFilter:
    """Which invoices the report reads: dated ``start`` to ``end`` (both included), of sessions of
    one type or all, of one client or all; grouped by ``group_by``; costs from ``costs``."""

    start: dt.date
    end: dt.date
    group_by: str = SESSION_TYPE
    costs: str = ProfitCosts.PRICE_LIST
    session_type: int | None = None
    client: int | None = None
    # The rows of one group only (its key as the figures give it: "" for none); None: all.
    group: str | None = None


@dataclass
class ProfitFigure:
    """One group's figures (or all of them)."""

    key: str = ""  # the group's key in addresses: an id, a lead source, "" for none
    label: str = ""
    url: str = ""  # where its sessions are listed (a session's row: its page)
    sessions: int = 0
    invoices: int = 0
    revenue: Decimal = field(default_factory=lambda: ZERO)
    product_cost: Decimal = field(default_factory=lambda: ZERO)
    preproduction_cost: Decimal = field(default_factory=lambda: ZERO)
    lines_without_cost: int = 0  # price list: lines whose item has no cost
    orders_without_amount: int = 0  # vendor invoices: production orders without one
    proofs_without_cost: int = 0  # preproduction orders without a cost

    @property
    def costs(self) -> Decimal:
        return self.product_cost + self.preproduction_cost

    @property
    def profit(self) -> Decimal:
        return self.revenue - self.costs

    @property
    def average_revenue(self) -> Decimal | None:
        return None if not self.sessions else (self.revenue / self.sessions).quantize(ZERO)

    @property
    def average_profit(self) -> Decimal | None:
        return None if not self.sessions else (self.profit / self.sessions).quantize(ZERO)

    @property
    def margin(self) -> Decimal | None:
        """Gross margin in per cent, one decimal; None without revenue."""
        if not self.revenue:
            return None
        return (self.profit * 100 / self.revenue).quantize(Decimal("0.1"))

    @property
    def missing(self) -> list[str]:
        """What this group's costs leave out, in words ("3 orders without a vendor amount")."""
        words = []
        for n, one, many in [
            (
                self.lines_without_cost,
                "line whose item has no cost",
                "lines whose item has no cost",
            ),
            (
                self.orders_without_amount,
                "order without a vendor amount",
                "orders without a vendor amount",
            ),
            (self.proofs_without_cost, "proof order without a cost", "proof orders without a cost"),
        ]:
            if n:
                words.append(f"{n:,} {one if n == 1 else many}")
        return words

    def add(self, other: ProfitFigure) -> None:
        for name in (
            "sessions",
            "invoices",
            "revenue",
            "product_cost",
            "preproduction_cost",
            "lines_without_cost",
            "orders_without_amount",
            "proofs_without_cost",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class ProfitTotals:
    groups: list[ProfitFigure]  # by label, the "No …" group last
    all: ProfitFigure


@dataclass
class ProfitRow(ProfitFigure):
    """One session of the range, with the figures of its invoices in the range."""

    id: int = 0
    date: dt.date = dt.date.min
    client: str = ""
    session_type: str = ""
    photographer: str = ""
    lead_source: str = ""


@dataclass(frozen=True)
class ProfitPage:
    rows: list[ProfitRow]
    next_cursor: str | None


# -- the SQL ---------------------------------------------------------------------------------------


def _where(f: ProfitFilter) -> tuple[str, list[Any]]:
    """The invoices of ``f`` (``i``, with its session ``s`` left-joined): the range of
    ``invoice_date_idx`` and the filters."""
    conditions = ["i.invoice_date >= %s", "i.invoice_date <= %s"]
    params: list[Any] = [f.start, f.end]
    if f.session_type is not None:
        conditions.append("s.session_type_id = %s")
        params.append(f.session_type)
    if f.client is not None:
        conditions.append("i.client_id = %s")
        params.append(f.client)
    return " AND ".join(conditions), params


def _key_sql(group_by: str) -> tuple[str, str]:
    """The group key of an invoice row as SQL (text), and the joins it needs."""
    if group_by == LEAD_SOURCE:
        clients = table(Client)
        return (
            "COALESCE(sc.lead_source, ic.lead_source)",
            f" LEFT JOIN {clients} sc ON sc.id = s.client_id"
            f" INNER JOIN {clients} ic ON ic.id = i.client_id",
        )
    column = "s.session_type_id" if group_by == SESSION_TYPE else "s.photographer_id"
    return f"CAST({column} AS TEXT)", ""


def _invoices_from(f: ProfitFilter, joins: str = "") -> tuple[str, str, list[Any]]:
    """The group key, FROM … WHERE of ``f``'s invoices (with ``joins`` after the session's)
    and its parameters."""
    key, key_joins = _key_sql(f.group_by)
    where, params = _where(f)
    sql = (
        f" FROM {table(Invoice)} i LEFT JOIN {table(Session)} s ON s.id = i.session_id"
        f"{key_joins}{joins} WHERE {where}"
    )
    return key, sql, params


def _cost_columns(f: ProfitFilter) -> tuple[str, str]:
    """The product costs' joins onto an invoice ``i`` and their two figures: the costs added
    up and how many lines (price list) or orders (vendor invoices) are without one."""
    if f.costs == ProfitCosts.VENDOR_INVOICES:
        return (
            f" INNER JOIN {table(ProductionOrder)} o ON o.invoice_id = i.id",
            "SUM(o.vendor_invoice_amount), COUNT(*) - COUNT(o.vendor_invoice_amount)",
        )
    return (
        f" INNER JOIN {table(InvoiceLine)} l ON l.invoice_id = i.id"
        f" INNER JOIN {table(PriceListItem)} p ON p.id = l.item_id",
        "SUM(l.quantity * p.cost), SUM(CASE WHEN p.cost = 0 THEN 1 ELSE 0 END)",
    )


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _proofs_sql(f: ProfitFilter, key: str) -> tuple[str, list[Any]]:
    """Per group: the proof orders' costs of the sessions counted, and how many have none. The
    sessions are those with an invoice in the range (each once, whatever its invoices)."""
    where, params = _where(f)
    lead = ""
    if f.group_by == LEAD_SOURCE:
        key = "sc.lead_source"
        lead = f" INNER JOIN {table(Client)} sc ON sc.id = s.client_id"
    sql = (
        f"SELECT {key}, SUM(pp.vendor_invoice_amount),"
        " COUNT(*) - COUNT(pp.vendor_invoice_amount)"
        f" FROM {table(PreproductionOrder)} pp"
        f" INNER JOIN {table(Session)} s ON s.id = pp.session_id{lead}"
        f" WHERE pp.session_id IN (SELECT i.session_id FROM {table(Invoice)} i"
        f" LEFT JOIN {table(Session)} s ON s.id = i.session_id WHERE {where}"
        " AND i.session_id IS NOT NULL)"
        f" GROUP BY {key}"
    )
    return sql, params


def _labels(group_by: str, keys: set[str]) -> dict[str, str]:
    ids = [int(k) for k in keys if k and k.isdigit()]
    if group_by == SESSION_TYPE:
        names = dict(SessionType.objects.filter(pk__in=ids).values_list("pk", "name"))
        return {str(pk): name for pk, name in names.items()}
    if group_by == PHOTOGRAPHER:
        return {
            str(u.pk): u.get_full_name() or u.get_username()
            for u in get_user_model().objects.filter(pk__in=ids)
        }
    return {k: k for k in keys if k}


def _none_label(group_by: str) -> str:
    return {SESSION_TYPE: NO_SESSION, PHOTOGRAPHER: NO_PHOTOGRAPHER}.get(group_by, NO_LEAD_SOURCE)


def profit_totals(f: ProfitFilter) -> ProfitTotals:
    """Every group's figures and the totals: three grouped queries and the groups' names."""
    key, body, params = _invoices_from(f)
    groups: dict[str, ProfitFigure] = {}

    def group(raw: Any) -> ProfitFigure:
        k = "" if raw is None else str(raw)
        if k not in groups:
            groups[k] = ProfitFigure(key=k)
        return groups[k]

    for raw, sessions, invoices, revenue in _fetch(
        f"SELECT {key}, COUNT(DISTINCT i.session_id), COUNT(*), SUM(i.total){body} GROUP BY {key}",
        params,
    ):
        g = group(raw)
        g.sessions, g.invoices, g.revenue = int(sessions), int(invoices), money(revenue)
    joins, figures = _cost_columns(f)
    _, cost_body, _ = _invoices_from(f, joins)
    for raw, cost, missing in _fetch(f"SELECT {key}, {figures}{cost_body} GROUP BY {key}", params):
        g = group(raw)
        g.product_cost = money(cost)
        if f.costs == ProfitCosts.VENDOR_INVOICES:
            g.orders_without_amount = int(missing or 0)
        else:
            g.lines_without_cost = int(missing or 0)
    for raw, cost, missing in _fetch(*_proofs_sql(f, key)):
        g = group(raw)
        g.preproduction_cost = money(cost)
        g.proofs_without_cost = int(missing or 0)
    labels = _labels(f.group_by, set(groups))
    for k, g in groups.items():
        g.label = labels.get(k, k) if k else _none_label(f.group_by)
    everything = ProfitFigure(key="", label="All sessions")
    for g in groups.values():
        everything.add(g)
    return ProfitTotals(
        groups=sorted(groups.values(), key=lambda g: (not g.key, g.label.lower(), g.key)),
        all=everything,
    )


# -- rows: the sessions, a page at a time --------------------------------------------------------


def _bad_cursor(why: str) -> ValidationError:
    return ValidationError(
        {"cursor": [f"This cursor is not one this report gave ({why}): start from the first page."]}
    )


def _position(cursor: str | None) -> int | None:
    data = cursor_envelope(cursor, SORT, _bad_cursor)
    if data is None:
        return None
    pk = data["id"]
    if data["k"] != KIND or type(pk) is not int or not 0 < pk < 2**62:
        raise _bad_cursor("it is malformed")
    return int(pk)


def _group_condition(f: ProfitFilter, key: str) -> tuple[str, list[Any]]:
    if f.group is None:
        return "", []
    if f.group == "":
        return f" AND ({key} IS NULL OR {key} = '')", []
    return f" AND {key} = %s", [f.group]


def profit_page(
    f: ProfitFilter, *, cursor: str | None = None, limit: int = PAGE_SIZE
) -> ProfitPage:
    """One page of ``f``'s sessions (those with an invoice in the range; of ``f.group`` when
    set) by id, after ``cursor``, with each one's figures: four queries."""
    key, body, params = _invoices_from(f)
    more_sql, more_params = _group_condition(f, key)
    after = _position(cursor)
    if after is not None:
        more_sql += " AND i.session_id > %s"
        more_params.append(after)
    raw = _fetch(
        f"SELECT i.session_id, COUNT(*), SUM(i.total){body} AND i.session_id IS NOT NULL"
        f"{more_sql} GROUP BY i.session_id ORDER BY i.session_id LIMIT {int(limit) + 1}",
        params + more_params,
    )
    more, raw = len(raw) > limit, raw[:limit]
    ids = [int(r[0]) for r in raw]
    if not ids:
        return ProfitPage(rows=[], next_cursor=None)
    marks = ", ".join(["%s"] * len(ids))
    joins, figures = _cost_columns(f)
    _, cost_body, cost_params = _invoices_from(f, joins)
    costs = {
        int(sid): (money(cost), int(missing or 0))
        for sid, cost, missing in _fetch(
            f"SELECT i.session_id, {figures}{cost_body} AND i.session_id IN ({marks})"
            " GROUP BY i.session_id",
            cost_params + ids,
        )
    }
    proofs = {
        int(sid): (money(cost), int(missing or 0))
        for sid, cost, missing in _fetch(
            "SELECT session_id, SUM(vendor_invoice_amount), COUNT(*) - COUNT(vendor_invoice_amount)"
            f" FROM {table(PreproductionOrder)} WHERE session_id IN ({marks}) GROUP BY session_id",
            ids,
        )
    }
    users = get_user_model()
    details = {
        int(row[0]): row[1:]
        for row in _fetch(
            f"SELECT s.id, s.date, c.first_name, c.last_name, c.lead_source, t.name,"
            f" u.first_name, u.last_name, u.{quoted(users.USERNAME_FIELD)}"
            f" FROM {table(Session)} s INNER JOIN {table(Client)} c ON c.id = s.client_id"
            f" INNER JOIN {table(SessionType)} t ON t.id = s.session_type_id"
            f" LEFT JOIN {table(users)} u ON u.id = s.photographer_id"
            f" WHERE s.id IN ({marks})",
            ids,
        )
    }
    vendor = f.costs == ProfitCosts.VENDOR_INVOICES
    rows = []
    for sid, invoices, revenue in raw:
        sid = int(sid)
        date, first, last, lead, type_name, u_first, u_last, username = details[sid]
        cost, missing = costs.get(sid, (ZERO, 0))
        proof_cost, proofs_missing = proofs.get(sid, (ZERO, 0))
        photographer = f"{u_first or ''} {u_last or ''}".strip() or (username or "")
        rows.append(
            ProfitRow(
                key=str(sid),
                label=f"{type_name} — {f'{first} {last}'.strip()}",
                sessions=1,
                invoices=int(invoices),
                revenue=money(revenue),
                product_cost=cost,
                preproduction_cost=proof_cost,
                lines_without_cost=0 if vendor else missing,
                orders_without_amount=missing if vendor else 0,
                proofs_without_cost=proofs_missing,
                id=sid,
                url=url_of("clients:session-detail", sid),
                date=day(date),
                client=f"{first} {last}".strip(),
                session_type=type_name,
                photographer=photographer or NO_PHOTOGRAPHER,
                lead_source=lead or NO_LEAD_SOURCE,
            )
        )
    next_cursor = None
    if more and rows:
        next_cursor = cursor_text(SORT, [], rows[-1].id, KIND)
    return ProfitPage(rows=rows, next_cursor=next_cursor)


def profit_rows(f: ProfitFilter, *, batch: int = EXPORT_BATCH) -> Iterator[ProfitRow]:
    """Every session of ``f`` in order, a page of ``batch`` at a time (exports)."""
    cursor: str | None = None
    while True:
        page = profit_page(f, cursor=cursor, limit=batch)
        yield from page.rows
        if page.next_cursor is None:
            return
        cursor = page.next_cursor
