"""Who may do what, tried on every page and every API operation.

The policy is stated here, independently of the code that enforces it: read-only people see
everything; staff also create and change work records (clients, sessions, invoices, payments);
managers do everything, including deleting work records (payments too) and all maintenance.
Each page and operation is tried anonymously and in each role; a refused write must leave the
database exactly as it was. A page or operation missing from this file fails the test, so new
ones get a row.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client as WebClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from darkroom.api.api import api as darkroom_api
from darkroom.clients.invoice_lines import LineInput
from darkroom.clients.services import invoice_create, payment_add
from darkroom.clients.status_links import status_link_issue
from darkroom.feeds.services import calendar_feed_issue
from darkroom.messaging.models import Firing, Message, Trigger
from darkroom.messaging.template_services import message_template_create
from darkroom.messaging.trigger_services import trigger_create
from darkroom.production.models import PreproductionOrder, ProductionOrderDetail
from darkroom.studio.calendar.writes import closure_add
from darkroom.studio.services import api_token_create, api_token_issue
from darkroom.todos.services import task_create
from darkroom.tracking.models import CycleKind
from darkroom.webhooks.models import Delivery
from darkroom.webhooks.services import endpoint_create
from tests import factories as f
from tests.maintenance.samples import SAMPLES

pytestmark = pytest.mark.django_db

ROLES = ("readonly", "staff", "manager")
RANK = {"readonly": 0, "staff": 1, "manager": 2}
DARKROOM_APPS = (
    "studio",
    "catalog",
    "clients",
    "tracking",
    "production",
    "todos",
    "messaging",
    "feeds",
    "webhooks",
    "events",
)


@pytest.fixture
def world(people) -> dict[str, Any]:
    """One of everything a page or operation can name in its address."""
    records = {slug: sample.make() for slug, sample in SAMPLES.items()}
    client = f.ClientFactory()
    session = f.SessionFactory(client=client)
    item = f.PriceListItemFactory()
    invoice = invoice_create(client=client, session=session, lines=[LineInput(item_id=item.pk)])
    payment = payment_add(invoice=invoice, amount=Decimal("5.00"), date=dt.date(2026, 11, 2))
    closure = closure_add(first_date=dt.date(2031, 1, 2), label="Staff day")
    sessions = f.cycle_with_statuses(
        kind=CycleKind.SESSION, steps=[("Booked", 1), ("Shot", 2)], final="Delivered"
    )
    cycle, status = sessions.cycle, sessions["Shot"]
    order = f.ProductionOrderFactory(invoice=invoice, number="1001")
    detail = ProductionOrderDetail.objects.create(order=order, position=1, item=item)
    task = task_create(by=people["staff"], subject="Call about proofs", links={"client": client})
    letter = task_create(
        by=people["staff"], subject="Your proofs", kind="letter", links={"client": client}
    )
    token, _ = api_token_issue(user=people["readonly"], name="Integration")
    feed, _ = calendar_feed_issue(by=people["readonly"], scope="person", user=people["readonly"])
    status_link, _ = status_link_issue(invoice=invoice, by=people["staff"])
    review_trigger = Trigger.objects.create(
        name="Thank the client", cycle=cycle, status=status, action="task",
        active_since=timezone.now(),
    )  # fmt: skip
    firing = Firing.objects.create(
        trigger=review_trigger, content_type=ContentType.objects.get_for_model(session),
        object_id=session.pk, stay=1, stay_started_at=timezone.now(), due_on=dt.date(2026, 11, 2),
        state="in_review", created_at=timezone.now(),
    )  # fmt: skip
    message = Message.objects.create(
        key="world", channel="email", to="ann@example.com", body="Hello", state="failed",
        next_attempt_at=timezone.now(), created_at=timezone.now(), client=client,
    )  # fmt: skip
    template = message_template_create(name="Album ready", channel="sms", body="Hi!")
    endpoint = endpoint_create(
        name="Website", url="https://tracker.example/hooks", event_types=[], by=people["manager"]
    )
    # A status change now gives the endpoint an event's delivery.
    moved = f.started_production_order(by=people["manager"])
    trigger = trigger_create(
        by=people["manager"],
        name="Booking email",
        cycle=cycle,
        status=status,
        action="email",
        template=message_template_create(
            name="Booked", channel="email", subject="Booked", body="Hello"
        ),
    )
    return {
        **records,
        "client": client,
        "session": session,
        "invoice": invoice,
        "payment": payment,
        "closure": closure,
        "person": people["staff"],
        "cycles": cycle,
        "status": status,
        "production-order": order,
        "production-order-detail": detail,
        "tasks": task,
        "letters": letter,
        "tokens": token,
        "calendar-feeds": feed,
        "status-link": status_link,
        "triggers": trigger,
        "trigger": review_trigger,
        "firing": firing,
        "messages": message,
        "message-templates": template,
        "webhooks": endpoint,
        "delivery": Delivery.objects.get(
            endpoint=endpoint, event__record_id=moved.pk, event__type="production_order.created"
        ),
        "preproduction-order": PreproductionOrder.objects.create(
            session=session,
            vendor=order.vendor,
            order_date=order.order_date,
            entered_by=people["staff"],
        ),
    }


def database_state() -> list[Any]:
    """Every row of the studio's tables, people and role groups: what a refusal must not touch."""
    models = [m for app in DARKROOM_APPS for m in apps.get_app_config(app).get_models()]
    models += [get_user_model(), Group]
    return [(m._meta.label, list(m.objects.order_by("pk").values())) for m in models]


# Pages ---------------------------------------------------------------------------------------

# name → (address arguments, who may GET it, who may POST to it); None: not that method.
PAGES: dict[str, tuple[Any, str | None, str | None]] = {
    "studio:home": ({}, "readonly", None),
    "studio:password-change": ({}, "readonly", "readonly"),  # everyone's own password
    # Everyone manages their own API tokens (the world's token is read-only's own).
    "studio:tokens": ({}, "readonly", "readonly"),
    "studio:token-revoke": ({"pk": "tokens"}, None, "readonly"),
    # Everyone has a calendar feed of their own work (the world's is read-only's own).
    "feeds:calendar-feeds": ({}, "readonly", "readonly"),
    "feeds:calendar-feed-revoke": ({"pk": "calendar-feeds"}, None, "readonly"),
    # The client's status page is made and revoked by whoever may change the invoice.
    "client_pages:status-link-make": ({"pk": "invoice"}, None, "staff"),
    "client_pages:status-link-revoke": (
        {"pk": "invoice", "link_pk": "status-link"},
        None,
        "staff",
    ),
    "studio:calendar": ({}, "readonly", None),
    "studio:calendar-month": ({"year": 2031, "month": 1}, "readonly", None),
    "studio:calendar-work-week": ({}, None, "manager"),
    "studio:calendar-closure-add": ({}, None, "manager"),
    "studio:calendar-closure-remove": ({"pk": "closure"}, None, "manager"),
    "studio:calendar-holidays-import": ({}, None, "manager"),
    "clients:client-list": ({}, "readonly", None),
    "clients:client-create": ({}, "staff", "staff"),
    "clients:client-detail": ({"pk": "client"}, "readonly", None),
    "clients:client-edit": ({"pk": "client"}, "staff", "staff"),
    "clients:client-delete": ({"pk": "client"}, None, "manager"),
    "clients:session-list": ({}, "readonly", None),
    "clients:session-create": ({}, "staff", "staff"),
    "clients:session-detail": ({"pk": "session"}, "readonly", None),
    "clients:session-edit": ({"pk": "session"}, "staff", "staff"),
    "clients:session-delete": ({"pk": "session"}, None, "manager"),
    "clients:invoice-list": ({}, "readonly", None),
    "clients:invoice-create": ({}, "staff", "staff"),
    "clients:invoice-detail": ({"pk": "invoice"}, "readonly", None),
    "clients:invoice-edit": ({"pk": "invoice"}, "staff", "staff"),
    "clients:invoice-delete": ({"pk": "invoice"}, None, "manager"),
    "clients:payment-add": ({"pk": "invoice"}, None, "staff"),
    "clients:payment-delete": ({"pk": "invoice", "payment_pk": "payment"}, None, "manager"),
    "maintenance:index": ({}, "readonly", None),
    "maintenance:preferences": ({}, "readonly", "manager"),
    "maintenance:people": ({}, "readonly", None),
    "maintenance:person-create": ({}, "manager", "manager"),
    "maintenance:person-edit": ({"pk": "person"}, "readonly", "manager"),
    "maintenance:locked-logins": ({}, "manager", None),
    "maintenance:login-unlock": ({}, None, "manager"),
    "maintenance:record-list": ({"slug": "priority-codes"}, "readonly", None),
    "maintenance:record-create": ({"slug": "priority-codes"}, "manager", "manager"),
    "maintenance:record-edit": (
        {"slug": "priority-codes", "pk": "priority-codes"},
        "readonly",
        "manager",
    ),
    "maintenance:record-delete": (
        {"slug": "priority-codes", "pk": "priority-codes"},
        None,
        "manager",
    ),
    "maintenance:record-inactive": (
        {"slug": "priority-codes", "pk": "priority-codes"},
        None,
        "manager",
    ),
    "maintenance:record-move": (
        {"slug": "priority-codes", "pk": "priority-codes"},
        None,
        "manager",
    ),
    # Maintenance › Message templates (the length and the preview only read)
    "messaging:template-list": ({}, "readonly", None),
    "messaging:template-create": ({}, "manager", "manager"),
    "messaging:template-edit": ({"pk": "message-templates"}, "readonly", "manager"),
    "messaging:template-delete": ({"pk": "message-templates"}, None, "manager"),
    "messaging:template-inactive": ({"pk": "message-templates"}, None, "manager"),
    "messaging:template-sms-length": ({}, None, "readonly"),
    "messaging:template-preview": ({}, None, "readonly"),
    # Maintenance › Statuses
    "tracking:cycle-create": ({}, None, "manager"),
    "tracking:statuses": ({}, "readonly", None),
    "tracking:status-create": ({"cycle_pk": "cycles"}, "manager", "manager"),
    "tracking:status-edit": ({"pk": "status"}, "readonly", "manager"),
    "tracking:status-move": ({"pk": "status"}, None, "manager"),
    "tracking:status-delete": ({"pk": "status"}, None, "manager"),
    "tracking:status-inactive": ({"pk": "status"}, None, "manager"),
    # Maintenance › Triggers
    "triggers:list": ({}, "readonly", None),
    "triggers:create": ({}, "manager", "manager"),
    "triggers:edit": ({"pk": "triggers"}, "readonly", "manager"),
    "triggers:active": ({"pk": "triggers"}, None, "manager"),
    "triggers:delete": ({"pk": "triggers"}, None, "manager"),
    # Production orders
    "production:order-list": ({}, "readonly", None),
    "production:order-detail": ({"pk": "production-order"}, "readonly", None),
    "production:order-edit": ({"pk": "production-order"}, "staff", "staff"),
    "production:order-number": ({"pk": "production-order"}, None, "staff"),
    "production:order-reorder": ({"pk": "production-order"}, None, "staff"),
    "production:order-details": ({"pk": "production-order"}, "readonly", "staff"),
    "production:order-detail-edit": (
        {"pk": "production-order", "detail_pk": "production-order-detail"},
        "staff",
        "staff",
    ),
    "production:order-detail-move": (
        {"pk": "production-order", "detail_pk": "production-order-detail"},
        None,
        "staff",
    ),
    "production:order-detail-delete": (
        {"pk": "production-order", "detail_pk": "production-order-detail"},
        None,
        "staff",
    ),
    "production:orders-create": ({"pk": "invoice"}, "staff", "staff"),
    "production:automation": ({}, "manager", "manager"),
    "production:automation-prompt-dismiss": ({"pk": "invoice"}, None, "staff"),
    "production:proof-order-create": ({"pk": "session"}, "staff", "staff"),
    "production:proof-order-detail": ({"pk": "preproduction-order"}, "readonly", None),
    "production:proof-order-edit": ({"pk": "preproduction-order"}, "staff", "staff"),
    "production:print": ({}, None, "readonly"),
    "tracking:proof-order-status": ({"pk": "preproduction-order"}, "staff", "staff"),
    "tracking:proof-order-status-due": ({"pk": "preproduction-order"}, "staff", None),
    "tracking:proof-order-status-start": ({"pk": "preproduction-order"}, None, "staff"),
    "tracking:proof-order-status-due-date": ({"pk": "preproduction-order"}, "staff", "staff"),
    "tracking:proof-order-reassign": ({"pk": "preproduction-order"}, "staff", "staff"),
    "tracking:proof-order-history": ({"pk": "preproduction-order"}, "readonly", None),
    "tracking:proof-order-bulk-status": ({}, None, "staff"),
    "tracking:order-status-due-date": ({"pk": "production-order"}, "staff", "staff"),
    "tracking:order-reassign": ({"pk": "production-order"}, "staff", "staff"),
    "tracking:order-status": ({"pk": "production-order"}, "staff", "staff"),
    "tracking:order-status-due": ({"pk": "production-order"}, "staff", None),
    "tracking:order-status-start": ({"pk": "production-order"}, None, "staff"),
    "tracking:order-history": ({"pk": "production-order"}, "readonly", None),
    "tracking:order-bulk-status": ({}, None, "staff"),
    # Scan station
    "production:scan": ({}, "readonly", "readonly"),
    # The production hub and its board
    "hub:list": ({}, "readonly", None),
    "hub:rows": ({}, "readonly", None),
    "hub:summary": ({}, "readonly", None),
    "hub:bulk": ({}, None, "staff"),
    "hub:board": ({}, "readonly", None),
    "hub:board-column": ({"status_id": "status"}, "readonly", None),
    "hub:move": ({}, None, "staff"),
    # Reports: reading records, so everyone with a role
    "reports:index": ({}, "readonly", None),
    "reports:report": ({"slug": "order-status"}, "readonly", None),
    "reports:report-xlsx": ({"slug": "session-status"}, "readonly", None),
    "reports:report-pdf": ({"slug": "invoice-status"}, "readonly", None),
    "reports:reorders": ({}, "readonly", None),
    "reports:reorders-xlsx": ({}, "readonly", None),
    "reports:reorders-pdf": ({}, "readonly", None),
    "reports:workload": ({}, "readonly", None),
    "reports:workload-xlsx": ({}, "readonly", None),
    "reports:workload-pdf": ({}, "readonly", None),
    "reports:vendor-performance": ({}, "readonly", None),
    "reports:vendor-performance-xlsx": ({}, "readonly", None),
    "reports:vendor-performance-pdf": ({}, "readonly", None),
    "reports:profit": ({}, "readonly", None),
    "reports:profit-xlsx": ({}, "readonly", None),
    "reports:profit-pdf": ({}, "readonly", None),
    "reports:time-in-status": ({}, "readonly", None),
    "reports:time-in-status-xlsx": ({}, "readonly", None),
    "reports:time-in-status-pdf": ({}, "readonly", None),
    # Status changes and history
    "tracking:session-status": ({"pk": "session"}, "staff", "staff"),
    "tracking:session-status-due": ({"pk": "session"}, "staff", None),
    "tracking:session-status-start": ({"pk": "session"}, None, "staff"),
    "tracking:session-status-due-date": ({"pk": "session"}, "staff", "staff"),
    "tracking:session-reassign": ({"pk": "session"}, "staff", "staff"),
    "tracking:session-history": ({"pk": "session"}, "readonly", None),
    "tracking:session-bulk-status": ({}, None, "staff"),
    "tracking:invoice-status": ({"pk": "invoice"}, "staff", "staff"),
    "tracking:invoice-status-due": ({"pk": "invoice"}, "staff", None),
    "tracking:invoice-status-start": ({"pk": "invoice"}, None, "staff"),
    "tracking:invoice-status-due-date": ({"pk": "invoice"}, "staff", "staff"),
    "tracking:invoice-reassign": ({"pk": "invoice"}, "staff", "staff"),
    "tracking:invoice-history": ({"pk": "invoice"}, "readonly", None),
    "tracking:invoice-bulk-status": ({}, None, "staff"),
    # Tasks
    "todos:task-list": ({}, "readonly", None),
    "todos:task-create": ({}, "staff", "staff"),
    "todos:task-detail": ({"pk": "tasks"}, "readonly", None),
    "todos:task-edit": ({"pk": "tasks"}, "staff", "staff"),
    "todos:task-letter": ({"pk": "letters"}, "readonly", None),
    "tracking:task-status": ({"pk": "tasks"}, "staff", "staff"),
    "tracking:task-status-due": ({"pk": "tasks"}, "staff", None),
    "tracking:task-status-start": ({"pk": "tasks"}, None, "staff"),
    "tracking:task-status-due-date": ({"pk": "tasks"}, "staff", "staff"),
    "tracking:task-reassign": ({"pk": "tasks"}, "staff", "staff"),
    "tracking:task-history": ({"pk": "tasks"}, "readonly", None),
    "tracking:task-bulk-status": ({}, None, "staff"),
    # Messages: everyone sees the review queue, staff decide; the outbox is staff's, resending
    # and failed messages are managers'.
    "messages:review-queue": ({}, "readonly", None),
    "messages:review-count": ({}, "readonly", None),
    "messages:review-decide": ({"pk": "firing"}, None, "staff"),
    "messages:review-decide-all": ({"pk": "trigger"}, None, "staff"),
    "messages:outbox": ({}, "staff", None),
    "messages:failed": ({}, "manager", None),
    "messages:resend": ({"pk": "messages"}, None, "manager"),
    "messages:abort": ({"pk": "messages"}, None, "manager"),
    "messages:dry-run": ({}, "readonly", None),
    # Webhooks: a manager's (their secrets sign what the studio tells other systems)
    "webhooks:endpoint-list": ({}, "manager", None),
    "webhooks:endpoint-create": ({}, "manager", "manager"),
    "webhooks:events": ({}, "manager", None),
    "webhooks:endpoint-detail": ({"pk": "webhooks"}, "manager", None),
    "webhooks:endpoint-edit": ({"pk": "webhooks"}, "manager", "manager"),
    "webhooks:endpoint-rotate": ({"pk": "webhooks"}, None, "manager"),
    "webhooks:endpoint-disable": ({"pk": "webhooks"}, None, "manager"),
    "webhooks:endpoint-enable": ({"pk": "webhooks"}, None, "manager"),
    "webhooks:endpoint-delete": ({"pk": "webhooks"}, None, "manager"),
    "webhooks:deliveries-replay": ({"pk": "webhooks"}, None, "manager"),
}
# The calendar feed and the client's status page: their readers can't log in, the address is
# the secret.
PUBLIC_PAGES = {"login", "logout", "favicon", "feeds:feed", "client_pages:status-page"}


def _page_names(patterns, namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("admin",) or str(pattern.pattern).startswith("api/"):
                continue
            yield from _page_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_page_is_in_the_matrix():
    assert set(_page_names(get_resolver().url_patterns)) == set(PAGES) | PUBLIC_PAGES


def _page_url(name: str, world: dict[str, Any]) -> str:
    arguments = {}
    for key, value in PAGES[name][0].items():
        arguments[key] = world[value].pk if isinstance(value, str) and key != "slug" else value
    return reverse(name, kwargs=arguments)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_permissions(name, world, people):
    url = _page_url(name, world)
    _, may_get, may_post = PAGES[name]
    anonymous = WebClient()
    for method, minimum in (("get", may_get), ("post", may_post)):
        if minimum is None:
            continue
        response = getattr(anonymous, method)(url)
        assert response.status_code == 302, (method, "anonymous")
        assert response["Location"].startswith("/login/")
        for role in ROLES:
            browser = WebClient()
            browser.force_login(people[role])
            before = database_state()
            response = getattr(browser, method)(url)
            if RANK[role] < RANK[minimum]:
                assert response.status_code == 403, (method, role)
                assert database_state() == before, (method, role)
            elif method == "get":
                assert response.status_code == 200, (method, role)
            else:
                assert response.status_code not in (401, 403), (method, role)
                assert response.status_code < 500, (method, role)


# API -----------------------------------------------------------------------------------------

WORK_RECORDS = (
    "/api/v1/clients",
    "/api/v1/sessions",
    "/api/v1/invoices",
    "/api/v1/production-orders",
    "/api/v1/preproduction-orders",
    "/api/v1/tasks",
    "/api/v1/review-queue",  # staff decide review items
)
WORK_RECORD_DELETES = {
    "/api/v1/clients/{client_id}",
    "/api/v1/sessions/{session_id}",
    "/api/v1/invoices/{invoice_id}",
    "/api/v1/invoices/{invoice_id}/payments/{payment_id}",
}


# Operations a token may not call, only a logged-in browser: a token can't make tokens.
SESSION_ONLY = {("post", "/api/v1/tokens")}


def minimum_role(method: str, path: str) -> str:
    """The policy: who may call this operation at all."""
    if path.startswith("/api/v1/webhooks"):
        return "manager"  # webhooks, their secrets and deliveries are a manager's
    if method == "get":
        # The outbox (clients' addresses and the words sent) is for those who work the queue.
        return "staff" if path.startswith("/api/v1/messages") else "readonly"
    if path.startswith("/api/v1/calendar-feeds"):
        return "readonly"  # everyone has their own feed; others' are managers', checked inside
    if path.startswith("/api/v1/tokens"):
        return "readonly"  # everyone manages their own tokens; managers anyone's, checked inside
    if path == "/api/v1/scans":
        return "readonly"  # looking an order up; moving it on needs staff, checked inside
    if path == "/api/v1/production-orders/print":
        return "readonly"  # printing work or purchase orders is reading them
    if path == "/api/v1/message-templates/preview":
        return "readonly"  # filling words in from a record is reading it
    if path.startswith(WORK_RECORDS):
        if method == "delete" and path in WORK_RECORD_DELETES:
            return "manager"
        return "staff"
    return "manager"


def _operations() -> list[tuple[str, str]]:
    schema = darkroom_api.get_openapi_schema()
    return sorted(
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if path not in ("/api/v1/openapi.json", "/api/v1/docs")
    )


def _api_url(path: str, world: dict[str, Any]) -> str:
    names = {
        "{client_id}": "client",
        "{session_id}": "session",
        "{invoice_id}": "invoice",
        "{payment_id}": "payment",
        "{status_id}": "status",
        "{firing_id}": "firing",
        "{detail_id}": "production-order-detail",
        "{link_id}": "status-link",
        "{delivery_id}": "delivery",
    }
    for placeholder, key in names.items():
        path = path.replace(placeholder, str(world[key].pk))
    if "{id}" in path:
        collection = path.removeprefix("/api/v1/").split("/")[0]
        key = {
            "users": "person",
            "calendar": "closure",
            "production-orders": "production-order",
            "preproduction-orders": "preproduction-order",
        }.get(collection, collection)
        path = path.replace("{id}", str(world[key].pk))
    return path


def test_the_matrix_knows_every_operation():
    operations = _operations()
    assert len(operations) > 90
    assert all(minimum_role(m, p) in RANK for m, p in operations)


@pytest.mark.parametrize(("method", "path"), _operations())
def test_api_permissions(method, path, world, people):
    url = _api_url(path, world)
    minimum = minimum_role(method, path)
    send = {"data": "{}", "content_type": "application/json"} if method != "get" else {}
    # CSRF is enforced as an integrator meets it: the test client would otherwise skip it.
    caller = WebClient(enforce_csrf_checks=True)
    before = database_state()
    anonymous = getattr(caller, method)(url, **send)
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "not_authenticated"
    assert database_state() == before
    for role in ROLES:
        headers = {"Authorization": f"Bearer {api_token_create(user=people[role])}"}
        before = database_state()
        if (method, path) in SESSION_ONLY:
            refused = getattr(caller, method)(url, headers=headers, **send)
            assert refused.status_code == 403, role
            untouched = [t for t in database_state() if t[0] != "studio.ApiToken"]
            assert untouched == [t for t in before if t[0] != "studio.ApiToken"], role
            browser = WebClient(enforce_csrf_checks=True)
            browser.force_login(people[role])
            browser.get("/")  # a page sets the CSRF cookie, as for a browser
            csrf = {"X-CSRFToken": browser.cookies["csrftoken"].value}
            response = getattr(browser, method)(url, headers=csrf, **send)
        else:
            response = getattr(caller, method)(url, headers=headers, **send)
        if RANK[role] < RANK[minimum]:
            assert response.status_code == 403, role
            assert response.json()["code"] == "permission_denied"
            after = [t for t in database_state() if t[0] != "studio.ApiToken"]
            assert after == [t for t in before if t[0] != "studio.ApiToken"], role
        else:
            assert response.status_code not in (401, 403), (role, response.content[:200])
            assert response.status_code < 500, role


# What each role is shown ---------------------------------------------------------------------


def _controls(html: str) -> set[tuple[str, str]]:
    """The (method, page name) of every link, form and htmx call on a page that leads to a
    page of the matrix."""
    from django.urls import Resolver404, resolve

    found = set()
    for tag in re.findall(r"<(?:a|form|button|input|div|tr|select|li|span)\b[^>]*>", html):
        for attribute, address in re.findall(r'\s(href|action|hx-get|hx-post)="([^"]*)"', tag):
            path = address.split("#")[0].split("?")[0].replace("&amp;", "&")
            if not path.startswith("/"):
                continue
            try:
                name = resolve(path).view_name
            except Resolver404:
                continue
            if name not in PAGES:
                continue
            posts = attribute == "hx-post" or (
                attribute == "action" and re.search(r'method="post"', tag, re.I) is not None
            )
            found.add(("post" if posts else "get", name))
    return found


def test_no_page_offers_a_role_what_it_may_not_do(world, people):
    """Every page a role may read shows it only links, forms and buttons its role may use: no
    button a read-only person would press only to be refused."""
    offered: dict[str, set[tuple[str, str]]] = {role: set() for role in ROLES}
    for name, (_, may_get, _may_post) in sorted(PAGES.items()):
        if may_get is None:
            continue
        url = _page_url(name, world)
        for role in ROLES:
            if RANK[role] < RANK[may_get]:
                continue
            browser = WebClient()
            browser.force_login(people[role])
            response = browser.get(url)
            assert response.status_code == 200, (name, role)
            if not response["Content-Type"].startswith("text/html"):
                continue  # a PDF or a spreadsheet offers no controls
            for method, target in _controls(response.content.decode()):
                minimum = PAGES[target][1 if method == "get" else 2]
                assert minimum is not None and RANK[role] >= RANK[minimum], (
                    name,
                    role,
                    method,
                    target,
                )
                offered[role].add((method, target))
    # And the controls are there for those who may use them.
    assert ("post", "clients:invoice-delete") in offered["manager"]
    assert ("get", "production:orders-create") in offered["staff"]

    def needing(role: str, controls: set[tuple[str, str]]) -> set[tuple[str, str]]:
        return {c for c in controls if PAGES[c[1]][1 if c[0] == "get" else 2] == role}

    # (Who sees what of their own, as their tokens, is by person, not by role: left out here.)
    assert needing("staff", offered["staff"]) and needing("manager", offered["manager"])
    assert needing("staff", offered["staff"]) <= needing("staff", offered["manager"])
