"""Reads of calendar feeds: who may make and see which, the feed an address opens, and what
a feed shows — one entry per open record's current due date and per promised date.

A feed reads open records only, through the partial indexes over open records by person, by
department and by due date (``TrackedRecord.open_assignment_indexes``, the hub's indexes of
production orders, the tasks' own), one query per kind of record: never the finished history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Case, F, Model, Q, QuerySet, When
from django.db.models.functions import Coalesce
from django.urls import reverse

from darkroom.clients.models import Invoice, Session
from darkroom.feeds.models import CalendarFeed, FeedScope
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.studio.models import Department
from darkroom.studio.roles import role_of
from darkroom.studio.services import secret_hash
from darkroom.todos.models import Task, TaskKind

# Who may make and revoke the feeds of departments, of the studio and of other people.
OTHERS_FEEDS = "feeds.add_calendarfeed"


def may_make_feed(*, actor: User | AnonymousUser, scope: FeedScope | str) -> bool:
    """Everyone with a role may have a feed of their own work; a department's or the whole
    studio's is a manager's to make (it shows other people's work to whoever holds it)."""
    if role_of(actor) is None:
        return False
    return scope == FeedScope.PERSON or actor.has_perm(OTHERS_FEEDS)


def may_revoke_feed(*, actor: User | AnonymousUser, feed: CalendarFeed) -> bool:
    """Your own feed, or (managers) anyone's, any department's and the studio's."""
    if role_of(actor) is None:
        return False
    own = feed.scope == FeedScope.PERSON and feed.user_id == actor.pk
    return own or actor.has_perm(OTHERS_FEEDS)


def calendar_feeds_for(
    *, actor: User | AnonymousUser, scope: FeedScope | str | None = None, revoked: bool = False
) -> QuerySet[CalendarFeed]:
    """The feeds a person may see, newest first: their own; every feed for a manager. Working
    feeds only, unless ``revoked`` (then revoked ones only)."""
    feeds = CalendarFeed.objects.select_related("user", "department", "created_by", "revoked_by")
    if not actor.has_perm(OTHERS_FEEDS):
        if actor.pk is None:
            return feeds.none()
        feeds = feeds.filter(scope=FeedScope.PERSON, user_id=actor.pk)
    if scope is not None:
        feeds = feeds.filter(scope=scope)
    feeds = feeds.filter(revoked_at__isnull=not revoked)
    return feeds.order_by("-created_at", "-id")


def calendar_feed_of_key(key: str) -> CalendarFeed | None:
    """The working feed this secret opens, or None (unknown, revoked, or its person can no
    longer log in: the caller can't tell which)."""
    feed = (
        CalendarFeed.objects.select_related("user", "department")
        .filter(key_hash=secret_hash(key), revoked_at__isnull=True)
        .first()
    )
    if feed is None:
        return None
    if feed.scope == FeedScope.PERSON and (feed.user is None or role_of(feed.user) is None):
        return None
    return feed


# -- what a feed shows -----------------------------------------------------------------------


@dataclass(frozen=True)
class FeedEntry:
    """One all-day event of a feed: a record's current due date, or the date promised."""

    uid: str  # stable per record and kind of date: "production-order-12-due"
    day: dt.date
    summary: str
    description: str
    path: str  # the record's page
    changed_at: dt.datetime | None  # when the record last changed: DTSTAMP and LAST-MODIFIED
    sequence: int  # the record's version: rises with every change


@dataclass(frozen=True)
class RecordKind:
    """How one kind of open record becomes feed entries."""

    name: str  # in the UID: "production-order"
    model: type[Model]
    user_field: str
    department_field: str
    due_field: str
    promised_field: str | None
    changed_field: str  # beside status_changed_at: created_at, or updated_at
    client_fields: tuple[str, str]  # the client's first and last names
    columns: tuple[str, ...]  # what the title reads
    title: Callable[[dict[str, Any]], str]
    step: Callable[[dict[str, Any]], str]
    url_name: str
    private_field: str | None = None


TASK_KINDS = dict(TaskKind.choices)

KINDS = (
    RecordKind(
        name="production-order",
        model=ProductionOrder,
        user_field="status_user_id",
        department_field="status_department_id",
        due_field="status_due_date",
        promised_field="promised_date",
        changed_field="created_at",
        client_fields=("client_first_name", "client_last_name"),
        columns=("number", "order_type__name"),
        title=lambda r: f"{r['order_type__name']} #{r['number']}",
        step=lambda r: r["step"] or "",
        url_name="production:order-detail",
    ),
    RecordKind(
        name="proof-order",
        model=PreproductionOrder,
        user_field="status_user_id",
        department_field="status_department_id",
        due_field="status_due_date",
        promised_field=None,
        changed_field="created_at",
        client_fields=("client_first_name", "client_last_name"),
        columns=("number",),
        title=lambda r: f"Proof order #{r['number']}",
        step=lambda r: r["step"] or "",
        url_name="production:proof-order-detail",
    ),
    RecordKind(
        name="session",
        model=Session,
        user_field="status_user_id",
        department_field="status_department_id",
        due_field="status_due_date",
        promised_field=None,
        changed_field="created_at",
        client_fields=("client__first_name", "client__last_name"),
        columns=("session_type__name",),
        title=lambda r: f"{r['session_type__name']} session",
        step=lambda r: r["step"] or "",
        url_name="clients:session-detail",
    ),
    RecordKind(
        name="invoice",
        model=Invoice,
        user_field="status_user_id",
        department_field="status_department_id",
        due_field="status_due_date",
        promised_field="approximate_delivery_date",
        changed_field="updated_at",
        client_fields=("client__first_name", "client__last_name"),
        columns=(),
        title=lambda r: f"Invoice {r['id']:05d}",
        step=lambda r: r["step"] or "",
        url_name="clients:invoice-detail",
    ),
    # A task's owner and date are its own (a person sets them), not its step's.
    RecordKind(
        name="task",
        model=Task,
        user_field="assigned_user_id",
        department_field="assigned_department_id",
        due_field="due_on",
        promised_field=None,
        changed_field="created_at",
        client_fields=("client__first_name", "client__last_name"),
        columns=("kind", "subject"),
        title=lambda r: TASK_KINDS.get(r["kind"], "Task"),
        step=lambda r: r["subject"],
        url_name="todos:task-detail",
        private_field="private",
    ),
)


def _open_rows(kind: RecordKind, feed: CalendarFeed) -> QuerySet[Any]:
    """The open records of one kind the feed shows that have a date to show: one query."""
    dated = Q(**{f"{kind.due_field}__isnull": False})
    if kind.promised_field:
        dated |= Q(**{f"{kind.promised_field}__isnull": False})
    rows = kind.model._default_manager.filter(dated, completed_date__isnull=True)
    if feed.scope == FeedScope.PERSON:
        rows = rows.filter(**{kind.user_field: feed.user_id})
    else:
        if feed.scope == FeedScope.DEPARTMENT:
            rows = rows.filter(**{kind.department_field: feed.department_id})
        if kind.private_field:  # seen only by its writer and the person it is for
            rows = rows.filter(**{kind.private_field: False})
    first, last = kind.client_fields
    # When the record last changed: its last status change, or its own change time if later.
    changed = Case(
        When(status_changed_at__gt=F(kind.changed_field), then=F("status_changed_at")),
        default=Coalesce(kind.changed_field, "status_changed_at"),
    )
    promised = {"promised": F(kind.promised_field)} if kind.promised_field else {}
    return rows.order_by().values(
        "id",
        "version",
        *kind.columns,
        changed=changed,
        due=F(kind.due_field),
        step=F("status__description"),
        first=F(first),
        last=F(last),
        **promised,
    )


_AN_ID = 987654321


def _page_of(kind: RecordKind) -> Callable[[int], str]:
    """A record's page from its id, with the URL reversed once per feed, not once a row."""
    before, _, after = reverse(kind.url_name, args=[_AN_ID]).partition(str(_AN_ID))
    return lambda pk: f"{before}{pk}{after}"


def _entries_of(
    kind: RecordKind, row: dict[str, Any], base_url: str, page_of: Callable[[int], str]
) -> Iterator[FeedEntry]:
    title = kind.title(row)
    client = f"{row['first'] or ''} {row['last'] or ''}".strip()
    step = kind.step(row)
    for_client = f" ({client})" if client else ""
    at_step = f" — {step}" if step else ""
    path = page_of(row["id"])
    link = f"Open in Darkroom: {base_url}{path}"
    changed_at, due, promised = row["changed"], row["due"], row.get("promised")
    about = f"{title} for {client}" if client else title
    promise_line = f"\nPromised to the client: {promised.isoformat()}" if promised else ""
    if due is not None:
        yield FeedEntry(
            uid=f"{kind.name}-{row['id']}-due",
            day=due,
            summary=f"Due: {title}{at_step}{for_client}",
            description=f"{about}\n{step or 'Due'}, due {due.isoformat()}{promise_line}\n{link}",
            path=path,
            changed_at=changed_at,
            sequence=row["version"],
        )
    if promised is not None:
        yield FeedEntry(
            uid=f"{kind.name}-{row['id']}-promised",
            day=promised,
            summary=f"Promised: {title}{for_client}",
            description=f"{about}\nPromised to the client for {promised.isoformat()}"
            f"{f'; now at {step}' if step else ''}\n{link}",
            path=path,
            changed_at=changed_at,
            sequence=row["version"],
        )


def feed_entries(feed: CalendarFeed, *, base_url: str) -> list[FeedEntry]:
    """Every entry the feed shows, by day then UID (the same records give the same text, so
    the answer's ETag stays the same while nothing changes). ``base_url`` ("https://host")
    makes each record's link absolute, as a calendar app needs it."""
    entries: list[FeedEntry] = []
    for kind in KINDS:
        page_of = _page_of(kind)
        for row in _open_rows(kind, feed).iterator(chunk_size=2000):
            entries.extend(_entries_of(kind, row, base_url, page_of))
    entries.sort(key=lambda e: (e.day, e.uid))
    return entries


def feed_name(feed: CalendarFeed, studio_name: str) -> str:
    """What a calendar app calls the feed: "Bright Studio: Ada Lovelace", "Bright Studio:
    Retouching", or the studio's name alone for the whole studio's."""
    if feed.scope == FeedScope.STUDIO:
        return studio_name
    return f"{studio_name}: {feed.owner_name}"


def departments_for_feeds() -> QuerySet[Department]:
    """The departments a manager may make a feed for: the working ones."""
    return Department.objects.filter(is_inactive=False).order_by("name")
