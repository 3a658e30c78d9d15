"""``{% order_row %}``, ``{% order_card %}`` and ``{% order_flags %}``: one order of the hub
as a table row, as a card on the board, and its flags (``{% order_rows %}``: a page of rows);
``{% summary_statuses %}``: the summary strip's figure per status.

Why in Python: a page shows fifty rows or a board of cards, each with a dozen cells, links and
badges. Through template includes that cost more than everything else the page does; here each
piece is one ``format_html`` (every value escaped by it, nothing marked safe that a person
typed), and what is the same for every order of the page (URLs, the "Move to" choices) is
worked out once.
"""

from __future__ import annotations

import functools
import html
from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from darkroom.formats import format_date, format_money
from darkroom.hub.selectors.order_kinds import PRODUCTION
from darkroom.hub.selectors.pages import HubRow

register = template.Library()

# Markup that never holds data, so safe as it is.
OVERDUE = mark_safe('<span class="badge badge-danger flag" data-flag="overdue">Overdue</span>')
DUE_TODAY = mark_safe('<span class="badge badge-warn flag" data-flag="due-today">Due today</span>')
AT_RISK = mark_safe(
    '<span class="badge badge-risk flag" data-flag="at-risk" title="Projected to finish after'
    ' the date promised to the client">At risk</span>'
)
NOTHING = mark_safe('<span class="muted">—</span>')
BREAK = mark_safe("<br>")
DRAGGABLE = mark_safe(' draggable="true"')


@functools.cache
def _invoice_url() -> str:
    """The invoice page's URL with "{}" for the id: reversed once, not once per row."""
    return reverse("clients:invoice-detail", args=[987654321]).replace("987654321", "{}")


def format_html(template: str, *args: Any, **kwargs: Any) -> SafeString:
    """Django's ``format_html`` (every value escaped unless already safe HTML), in one call per
    value instead of four: a board draws a hundred cards of a dozen values each."""
    return SafeString(
        template.format(*(map(_escaped, args)), **{k: _escaped(v) for k, v in kwargs.items()})
    )


def _escaped(value: Any) -> str:
    kind = type(value)
    if kind is str:  # names, statuses, vendors: the same few hundred again and again
        return _escaped_text(value)
    if kind is int:  # ids and versions need no escaping
        return str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@functools.lru_cache(maxsize=8192)
def _escaped_text(value: str) -> str:
    return html.escape(value)


def _day(value: Any) -> str:
    """The studio's way of writing ``value`` (``darkroom/formats.py``, which keeps the few days
    a page shows again and again), or a dash."""
    return format_date(value) if value else "—"


def _number(row: HubRow) -> str:
    return f"#{row.number}" if row.number else "No number"


def order_name(row: HubRow) -> str:
    """How a control names its order to a screen reader ("proof order #12 for Ada Lee")."""
    noun = "order" if row.kind == PRODUCTION else "proof order"
    number = f" #{row.number}" if row.number else ""
    return f"{noun}{number} for {row.client_name}"


@register.simple_tag
def order_flags(row: HubRow) -> SafeString:
    """An order's flags in words and colour (never colour alone)."""
    due = OVERDUE if row.overdue else DUE_TODAY if row.due_today else ""
    risk = AT_RISK if row.at_risk else ""
    return format_html("{}{}{}", due, " " if due and risk else "", risk)


@register.simple_tag
def order_row(row: HubRow, can_change: bool) -> SafeString:
    """One order of the hub list, its tick box (for the bulk change) first. Each value goes
    through ``_escaped`` once, into one f-string: fifty rows a page, drawn on every page."""
    e = _escaped
    tick = ""
    if can_change:
        printed = f' data-print-id="{e(row.id)}"' if row.kind == PRODUCTION else ""
        tick = (
            '<td class="select-cell"><input type="checkbox" name="record"'
            f' value="{e(row.kind)}:{e(row.id)}:{e(row.version)}" form="hub-bulk-form"'
            f' data-select-row{printed} aria-label="Select {e(order_name(row))}"></td>'
        )
    invoice = ""
    if row.invoice_id:
        invoice = (
            f'<small class="muted">Invoice <a href="{e(_invoice_url().format(row.invoice_id))}">'
            f"{e(row.invoice_number)}</a></small>"
        )
    if row.department or row.user:
        user = f'<span class="muted">{e(row.user)}</span>' if row.user else ""
        between = BREAK if row.department and row.user else ""
        assigned = f"{e(row.department or '')}{between}{user}"
    else:
        assigned = NOTHING
    return SafeString(  # every value above escaped
        f'<tr class="hub-row{" is-overdue" if row.overdue else ""}" data-testid="hub-row"'
        f' data-order="{e(row.kind)}-{e(row.id)}">{tick}'
        f'<td class="order-cell"><a href="{e(row.url)}">{e(_number(row))}</a>'
        f'<small class="muted">{e(row.order_type or "Proof order")}</small></td>'
        f'<td><span class="client-name">{e(row.client_name)}</span>{invoice}</td>'
        f"<td>{e(row.vendor)}</td>"
        f'<td class="status-cell">{e(row.status)}</td>'
        f'<td class="due-cell"><span class="nowrap">{e(_day(row.status_due_date))}</span>'
        f" {order_flags(row)}</td>"
        f'<td class="nowrap hide-narrow">{e(_day(row.projected_completion))}</td>'
        f'<td class="nowrap hide-narrow">{e(_day(row.promised_date))}</td>'
        f'<td class="hide-narrow assigned-cell col-assigned">{assigned}</td>'
        f'<td class="hide-narrow col-priority">{e(row.priority or "")}</td>'
        "</tr>\n"
    )


@register.simple_tag
def order_rows(rows: list[HubRow], can_change: bool) -> SafeString:
    """Every row of a page of the list: one tag, not a template loop calling a tag per row."""
    return SafeString("".join([order_row(row, can_change) for row in rows]))  # each escaped


@register.simple_tag(takes_context=True)
def order_card(context: template.Context, row: HubRow) -> SafeString:
    """One order on the board: drag it to another column, or (keyboard) choose "Move to" and
    press Move. The form carries the card's version, so a card someone else moved meanwhile
    is refused, not moved blindly."""
    board = context["board"]
    can_change = context.get("can_change")
    state = " is-overdue" if row.overdue else " is-due-today" if row.due_today else ""
    meta = format_html(
        "{}{}{}",
        row.vendor,
        format_html(" · {}", row.order_type) if row.order_type else "",
        format_html(' · <span class="card-priority">{}</span>', row.priority)
        if row.priority
        else "",
    )
    who = row.user or row.department
    assigned = format_html('<p class="card-meta">{}</p>', who) if who else ""
    move = ""
    if can_change:
        move = format_html(
            '<form class="card-move" method="post" action="{url}" hx-post="{url}"'
            ' hx-target="closest li" hx-swap="outerHTML" data-move-form>'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
            '<input type="hidden" name="kind" value="{kind}">'
            '<input type="hidden" name="id" value="{id}">'
            '<input type="hidden" name="version" value="{version}">'
            '<input type="hidden" name="next" value="{next}">'
            '<label class="visually-hidden" for="move-{kind}-{id}">Move {name} to</label>'
            '<select name="to_status" id="move-{kind}-{id}">'
            '<option value="">Move to…</option>{options}</select>'
            '<button class="btn btn-small" type="submit">Move</button></form>',
            url=board.move_url,
            csrf=context.get("csrf_token", ""),
            kind=row.kind,
            id=row.id,
            version=row.version,
            next=board.url,
            name=order_name(row),
            options=board.move_options(row.status_id),
        )
    return format_html(
        '<li class="board-card{state}" id="card-{kind}-{id}" data-card data-status="{status}"'
        '{drag} data-testid="card">'
        '<a class="card-title" href="{url}"><span class="card-number">{number}</span> {client}</a>'
        '<p class="card-meta">{meta}</p>'
        '<p class="card-due">Due {due} {flags}</p>'
        "{assigned}"
        '<div class="card-message" id="msg-{kind}-{id}"></div>'
        "{move}</li>\n",
        state=state,
        kind=row.kind,
        id=row.id,
        status=row.status_id,
        drag=DRAGGABLE if can_change else "",
        url=row.url,
        number=_number(row),
        client=row.client_name,
        meta=meta,
        due=_day(row.status_due_date),
        flags=order_flags(row),
        assigned=assigned,
        move=move,
    )


@functools.lru_cache(maxsize=4096)
def _count(value: int, language: str | None) -> str:
    return str(localize(value))


@register.simple_tag
def summary_statuses(summary: Any, links: Any) -> SafeString:
    """The strip's figure per status, under its cycle's name: each a link to those orders."""
    items = []
    cycle = None
    language = get_language()
    for s in summary.statuses:
        if s.cycle != cycle:
            cycle = s.cycle
            items.append(format_html('\n    <li class="summary-cycle">{}</li>', cycle))
        value = ""
        if s.invoice_value:
            value = format_html(
                ' <span class="summary-value" title="Value of the invoices with an order in {}">'
                "{}</span>",
                s.status,
                format_money(s.invoice_value),
            )
        items.append(
            format_html(
                '\n    <li class="summary-status" data-testid="summary-status-{id}">'
                '<a href="{link}status={id}"><span class="summary-name">{name}</span>'
                ' <strong class="summary-count">{count}</strong>{value}</a></li>',
                id=s.status_id,
                link=links.status,
                name=s.status,
                count=_count(s.count, language),
                value=value,
            )
        )
    return SafeString("".join(items))  # each item built by format_html
