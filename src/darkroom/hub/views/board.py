"""The board at /production/board/: one column per active status of a chosen cycle, each paged
on its own, and a card moved to another column (dragged, or "Move to…" from the keyboard) is a
status change through the status-change service, with its version: a card someone else moved
meanwhile is refused (a Conflict) and nothing changes.

The board reads the hub's filter from the URL (its status filter aside: the columns are the
statuses) plus ``cycle``. A board loads one page per column, never every card.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from darkroom.database_limits import LARGEST_PAGE_NUMBER
from darkroom.errors import Conflict, DarkroomError
from darkroom.hub.filters import HubFilter, parse_hub_filter
from darkroom.hub.forms import HubFilterForm
from darkroom.hub.selectors.pages import HubPage, board_column
from darkroom.hub.services import ORDER_MODELS
from darkroom.hub.summary import HubSummary, hub_summary
from darkroom.hub.views.hub_list import (
    CHANGE_STATUS,
    VIEW_ORDERS,
    active_filters,
    problems_of,
    query,
    summary_links,
    without_empty,
)
from darkroom.order_choices import ORDER_CYCLE_KINDS, order_choices
from darkroom.studio.access import may, requires
from darkroom.studio.kept import kept_while_lists_unchanged
from darkroom.tracking.forms import studio_today
from darkroom.tracking.models import Cycle, Status
from darkroom.tracking.services import status_change

COLUMN_SIZE = 20
CONFLICT = "Someone else moved this order — reload the board to see where it is now."


@dataclass(frozen=True)
class Board:
    """What the URL asks the board for: a cycle, its columns and the filter of the cards."""

    cycles: list[Cycle]
    cycle: Cycle | None
    columns: list[Status]
    filter: HubFilter | None
    problems: list[str]

    _options: dict[int, SafeString] = field(default_factory=dict, compare=False, repr=False)

    # Worked out once per request, not once per card.

    @functools.cached_property
    def query(self) -> str:
        """The board's own URL query (for its links, its "more" and the cards' forms)."""
        extra = {"cycle": str(self.cycle.pk)} if self.cycle else {}
        return query(self.filter or HubFilter(), **extra)

    @functools.cached_property
    def url(self) -> str:
        return reverse("hub:board") + self.query

    @functools.cached_property
    def move_url(self) -> str:
        return reverse("hub:move")

    def move_options(self, leaving: int) -> SafeString:
        """The "Move to…" choices of a card in status ``leaving``: every other column."""
        if leaving not in self._options:
            self._options[leaving] = format_html_join(
                "",
                '<option value="{}">{}</option>',
                ((s.pk, s.description) for s in self.columns if s.pk != leaving),
            )
        return self._options[leaving]


def read_board(params: QueryDict) -> Board:
    """The board ``params`` ask for; what can't be read is said in ``problems``."""
    problems: list[str] = []
    try:
        f: HubFilter | None = parse_hub_filter(params)
    except ValidationError as exc:
        f, problems = None, problems_of(exc)
    cycles, statuses = kept_while_lists_unchanged("board cycles", _cycles_and_columns)
    wanted = params.get("cycle", "")
    cycle = cycles[0] if cycles else None
    if wanted:
        cycle = next((c for c in cycles if str(c.pk) == wanted), None)
        if cycle is None:
            problems.append(
                f"“{wanted[:40]}” is not a cycle of production or proof orders: choose one."
            )
    columns: list[Status] = statuses.get(cycle.pk, []) if cycle is not None else []
    if f is not None and cycle is not None:
        f = replace(f, kind=cycle.kind, statuses=())  # the columns are the statuses
    return Board(cycles, cycle, columns, f, problems)


def _cycles_and_columns() -> tuple[list[Cycle], dict[int, list[Status]]]:
    """The cycles a board can show (production first, then proof orders) and each one's
    active statuses in order: kept per process while the studio's lists stay the same."""
    cycles = list(Cycle.objects.filter(kind__in=ORDER_CYCLE_KINDS).order_by("-kind", "name", "id"))
    columns: dict[int, list[Status]] = {}
    active = Status.objects.filter(cycle__in=cycles, is_inactive=False).order_by("position", "id")
    for status in active:
        columns.setdefault(status.cycle_id, []).append(status)
    return cycles, columns


@dataclass(frozen=True)
class Column:
    status: Status
    page: HubPage
    count: int
    more_url: str | None


def _column(board: Board, status: Status, count: int, request: HttpRequest) -> Column:
    """A column's first page: one query, whatever the number of orders."""
    assert board.filter is not None
    today = studio_today(request)
    page = board_column(board.filter, status_id=status.pk, today=today, limit=COLUMN_SIZE)
    return Column(status, page, count, _more(board, status, page))


def _more(board: Board, status: Status, page: HubPage) -> str | None:
    if page.next_cursor is None:
        return None
    base = reverse("hub:board-column", args=[status.pk])
    return f"{base}{board.query}&cursor={page.next_cursor}"


def _summary(board: Board, request: HttpRequest) -> HubSummary | None:
    """The strip for the cards on the board: the cycle's statuses only."""
    if board.filter is None or not board.columns:
        return None
    in_cycle = replace(board.filter, statuses=tuple(s.pk for s in board.columns))
    return hub_summary(in_cycle, today=studio_today(request))


def _board_context(
    board: Board, request: HttpRequest, *, only: int | None = None
) -> dict[str, Any]:
    """The board's columns (or the column of status ``only``), their counts and the strip."""
    context: dict[str, Any] = {
        "board": board,
        "problems": board.problems,
        "today": studio_today(request),
        "can_change": may(request, CHANGE_STATUS),
        # The list of the same orders, both kinds (the kind was only the board's cycle's).
        "list_url": reverse("hub:list") + query(replace(board.filter or HubFilter(), kind="all")),
    }
    if board.filter is None or board.problems:
        return context
    summary = _summary(board, request)
    counts = {s.status_id: s.count for s in summary.statuses} if summary else {}
    context["summary"] = summary
    context["summary_links"] = summary_links(board.filter, base=reverse("hub:list"))
    context["counts"] = [(s.pk, counts.get(s.pk, 0)) for s in board.columns]
    context["columns"] = [
        _column(board, status, counts.get(status.pk, 0), request)
        for status in board.columns
        if only is None or status.pk == only
    ]
    return context


# The parameters of the board's folded filters (HubFilterForm.board_fields).
BOARD_FILTERS = frozenset({"flag", "vendor", "department", "user"})


@requires(VIEW_ORDERS)
def board_page(request: HttpRequest) -> HttpResponse:
    """The board: the cycle chooser, the filter bar and the first page of every column."""
    tidy = without_empty(request)
    if tidy is not None:
        return redirect(tidy)
    board = read_board(request.GET)
    context = _board_context(board, request)
    context["filters"] = HubFilterForm(request.GET, order_choices())
    context["active_filters"] = active_filters(board.filter, BOARD_FILTERS)
    return render(request, "hub/board.html", context, status=400 if board.problems else 200)


@requires(VIEW_ORDERS)
def board_column_page(request: HttpRequest, status_id: int) -> HttpResponse:
    """The next cards of one column ("Show more"), replacing its "Show more" item; what can't
    be read is said in that item's place (200, so htmx shows it)."""
    board = read_board(request.GET)
    context: dict[str, Any] = {
        "board": board,
        "problems": list(board.problems),
        "can_change": may(request, CHANGE_STATUS),
        "today": studio_today(request),
    }
    status = next((s for s in board.columns if s.pk == status_id), None)
    if status is None and not board.problems:
        context["problems"].append("This column is not on the board: reload the board.")
    if context["problems"] or status is None or board.filter is None:
        return render(request, "hub/board_cards.html", context)
    try:
        page = board_column(
            board.filter,
            status_id=status_id,
            today=context["today"],
            cursor=request.GET.get("cursor") or None,
            limit=COLUMN_SIZE,
        )
    except ValidationError as exc:
        context["problems"] = problems_of(exc)
        return render(request, "hub/board_cards.html", context)
    context["column"] = Column(status, page, 0, _more(board, status, page))
    return render(request, "hub/board_cards.html", context)


# Moving a card ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    kind: str
    id: int
    version: int
    to_status: int


def _read_move(data: QueryDict) -> Move | None:
    values = [data.get(name, "") for name in ("id", "version", "to_status")]
    kind = data.get("kind", "")
    if kind not in ORDER_MODELS or not all(v.isascii() and v.isdigit() for v in values):
        return None
    numbers = [int(v) for v in values]
    if not all(0 < n <= LARGEST_PAGE_NUMBER for n in numbers):
        return None
    return Move(kind, *numbers)


def _board_of(request: HttpRequest) -> str:
    """The board the card was on (its address, with its filter), never another site's."""
    wanted = request.POST.get("next", "")
    board_url = reverse("hub:board")
    safe = url_has_allowed_host_and_scheme(wanted, allowed_hosts=None)
    return wanted if safe and wanted.startswith(board_url) else board_url


def _refused(request: HttpRequest, move: Move | None, message: str, status: int) -> HttpResponse:
    """The card stays where it was and says why, in words (htmx puts it in the card)."""
    if not request.htmx:  # type: ignore[attr-defined]
        messages.error(request, message)
        return redirect(_board_of(request))
    context = {"message": message, "board_url": _board_of(request)}
    answer = render(request, "hub/card_message.html", context, status=status)
    if move is not None:
        answer["HX-Retarget"] = f"#msg-{move.kind}-{move.id}"
        answer["HX-Reswap"] = "innerHTML"
    return answer


@require_POST
@requires(VIEW_ORDERS, CHANGE_STATUS)
def card_move(request: HttpRequest) -> HttpResponse:
    """Move one card to another column: a status change of its order, at the version the card
    showed. A stale card, a status of another cycle or an unreadable request changes nothing."""
    move = _read_move(request.POST)
    if move is None:
        return _refused(request, None, "This card could not be read: reload the board.", 400)
    model = ORDER_MODELS[move.kind]
    order = model.objects.filter(pk=move.id).first()
    target = Status.objects.filter(pk=move.to_status).first()
    if order is None:
        return _refused(request, move, "This order no longer exists — reload the board.", 404)
    if target is None:
        return _refused(request, move, "That column no longer exists — reload the board.", 422)
    try:
        status_change(
            record=order, expected_version=move.version, updated_by=request.user, to_status=target
        )
    except Conflict:
        return _refused(request, move, CONFLICT, 409)
    except ValidationError as exc:
        words = " ".join(problems_of(exc))
        return _refused(request, move, f"Not moved: {words}", 422)
    except DarkroomError as exc:
        return _refused(request, move, f"Not moved: {exc.message}", exc.status)
    done = f"Moved {_name(order, move.kind)} to “{target}”."
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, done)
        return redirect(_board_of(request))
    board = read_board(QueryDict(urlsplit(_board_of(request)).query))
    context = _board_context(board, request, only=target.pk)
    context["done"] = done
    return render(request, "hub/card_moved.html", context)


def _name(order: Any, kind: str) -> str:
    noun = "order" if kind == "production" else "proof order"
    return f"{noun} #{order.number}" if order.number else f"the {noun}"
