"""What a caller sends that no field can hold — text that isn't Unicode, NUL, bytes that aren't
UTF-8, a body too big, a number where a date belongs, null where text belongs — is refused with a
clear 4xx in the API's error format on every write operation, and nothing is written.

The operations come from the OpenAPI schema, so an endpoint added later is tried too."""

from __future__ import annotations

import json
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from darkroom.api.api import api as darkroom_api
from darkroom.messaging.models import Firing, MessageTemplate, Trigger
from darkroom.messaging.template_services import message_template_create
from darkroom.messaging.trigger_services import trigger_create
from darkroom.plain_text import HAS_CONTROL, HAS_NUL, NOT_UNICODE
from darkroom.production.models import ProductionOrderDetail
from darkroom.production.services.proof_orders import preproduction_order_create
from darkroom.todos.services import task_create
from darkroom.tracking.models import CycleKind
from darkroom.webhooks.services import endpoint_create
from tests import factories as f
from tests.maintenance.samples import ENTRIES, SAMPLES

pytestmark = pytest.mark.django_db

SCHEMA = darkroom_api.get_openapi_schema()
COMPONENTS = SCHEMA["components"]["schemas"]
PREFIX = "/api/v1/"
# A path's parameter → the list whose record it names; ``{id}`` names one of the list before it.
NAMED_BY = {
    "client_id": "clients",
    "session_id": "sessions",
    "invoice_id": "invoices",
    "payment_id": "payments",
    "status_id": "statuses",
    "firing_id": "firings",
    "detail_id": "production-order-details",
}


def _schema(schema: dict) -> dict:
    return COMPONENTS[schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema


def _kinds(prop: dict) -> list[dict]:
    return [_schema(p) for p in [prop, *prop.get("anyOf", [])]]


def _body_schema(operation: dict) -> dict:
    return _schema(operation["requestBody"]["content"]["application/json"]["schema"])


WRITES = [
    (method.upper(), path, operation)
    for path, operations in SCHEMA["paths"].items()
    for method, operation in operations.items()
    if method in ("post", "put", "patch")
    and "requestBody" in operation
    # Sent with a token: an operation only a browser session may call (making a token) refuses
    # a token before it reads the body; tests/studio/test_tokens_api.py tries its bodies.
    and {"BearerToken": []} in operation.get("security", [])
]


def op_id(write) -> str:
    return f"{write[0]} {write[1].removeprefix(PREFIX)}"


def text_fields(operation: dict) -> list[str]:
    """The body's top-level fields that take text (dates included)."""
    properties = _body_schema(operation).get("properties", {})
    return [n for n, p in properties.items() if any(k.get("type") == "string" for k in _kinds(p))]


def date_fields(operation: dict) -> list[str]:
    properties = _body_schema(operation).get("properties", {})
    return [n for n, p in properties.items() if any(k.get("format") == "date" for k in _kinds(p))]


@pytest.fixture
def records(people) -> dict[str, int]:
    """One record of every kind a write's address can name, by list."""
    sessions = f.cycle_with_statuses(
        kind=CycleKind.SESSION, steps=[("Booked", 1)], final="Delivered"
    )
    booked = sessions["Booked"]
    for kind in (CycleKind.INVOICE, CycleKind.PREPRODUCTION, CycleKind.TASK):
        f.cycle_with_statuses(kind=kind, steps=[("Open", 1)], final="Done")
    client = f.ClientFactory()
    session = f.SessionFactory(client=client)
    invoice = f.InvoiceFactory(client=client)
    order_type = f.cycle_with_statuses(
        name="Prints", steps=[("Ordered", 1)], final="Done"
    ).order_type
    found = {
        "clients": client.pk,
        "sessions": session.pk,
        "invoices": invoice.pk,
        "payments": f.PaymentFactory(invoice=invoice).pk,
        "production-orders": f.ProductionOrderFactory(invoice=invoice, order_type=order_type).pk,
        "preproduction-orders": preproduction_order_create(
            session=session, vendor=f.VendorFactory(), by=people["manager"]
        ).pk,
        "cycles": sessions.cycle.pk,
        "statuses": booked.pk,
        "tasks": task_create(by=people["manager"], subject="Call back").pk,
        "users": people["staff"].pk,
        "triggers": trigger_create(
            by=people["manager"],
            name="Booking email",
            cycle=sessions.cycle,
            status=booked,
            action="email",
            template=MessageTemplate.objects.create(name="Booked", channel="email", body="Hi"),
        ).pk,
        "firings": Firing.objects.create(
            trigger=Trigger.objects.create(
                name="Thank the client",
                cycle=sessions.cycle,
                status=booked,
                action="task",
                active_since=timezone.now(),
            ),
            content_type=ContentType.objects.get_for_model(session),
            object_id=session.pk,
            stay=1,
            stay_started_at=timezone.now(),
            due_on=session.date,
            state="in_review",
            created_at=timezone.now(),
        ).pk,
        "message-templates": message_template_create(
            name="Album ready", channel="sms", body="Hi {client_first_name}!"
        ).pk,
    }
    found["webhooks"] = endpoint_create(
        name="Website", url="https://tracker.example/hooks", event_types=[], by=people["manager"]
    ).pk
    found["production-order-details"] = ProductionOrderDetail.objects.create(
        order_id=found["production-orders"], position=1, item=f.PriceListItemFactory()
    ).pk
    for entry in ENTRIES:
        found[entry.slug] = SAMPLES[entry.slug].make().pk
    return found


def address(path: str, records: dict[str, int]) -> str:
    parts = path.removeprefix(PREFIX).split("/")
    for i, part in enumerate(parts):
        if part.startswith("{"):
            name = part.strip("{}")
            parts[i] = str(records[parts[i - 1] if name == "id" else NAMED_BY[name]])
    return PREFIX + "/".join(parts)


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def send(caller, method: str, url: str, data: bytes | str):
    return caller.client.generic(
        method, url, data, content_type="application/json", headers=caller.headers
    )


def refused(response, status: int, code: str, detail: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code, body
    if detail is not None:
        assert body["detail"] == detail, body
    return body


# ---------------------------------------------------------------- every write operation


def test_the_schema_lists_the_write_operations():
    assert len(WRITES) >= 70
    assert ("POST", "/api/v1/scans") in {(m, p) for m, p, _ in WRITES}


@pytest.mark.parametrize("write", WRITES, ids=op_id)
def test_a_lone_surrogate_is_refused_naming_its_field(api, records, write):
    method, path, operation = write
    fields = text_fields(operation) or ["note"]
    caller = api("manager")
    before = row_counts()
    response = send(
        caller,
        method,
        address(path, records),
        json.dumps(dict.fromkeys(fields, "\ud800")),  # sent escaped: "\\ud800"
    )
    body = refused(
        response, 422, "invalid", f"The request is not valid: {fields[0]}: {NOT_UNICODE}"
    )
    assert body["errors"] == [{"loc": ["body", fields[0]], "msg": NOT_UNICODE, "type": "text"}]
    assert row_counts() == before


@pytest.mark.parametrize("write", WRITES, ids=op_id)
def test_bytes_that_are_not_utf8_are_refused(api, records, write):
    method, path, _ = write
    caller = api("manager")
    before = row_counts()
    response = send(caller, method, address(path, records), b'{"note": "\xed\xa0\x80\xff"}')
    refused(response, 400, "bad_request", "The request body is not valid UTF-8 text.")
    assert row_counts() == before


@pytest.mark.parametrize("write", WRITES, ids=op_id)
def test_a_number_where_a_date_belongs_is_refused(api, records, write):
    method, path, operation = write
    dates = date_fields(operation)
    if not dates:
        return  # nothing to try on this operation
    caller = api("manager")
    before = row_counts()
    for value in (0, 86400, "0", 20261121, True, "2026-11-21T00:00:00"):
        response = send(
            caller, method, address(path, records), json.dumps(dict.fromkeys(dates, value))
        )
        body = refused(response, 422, "invalid")
        named = {e["loc"][-1] for e in body["errors"] if e["type"] == "date_text"}
        assert named == set(dates), body
        assert "Send a date as text, like 2026-11-21." in body["detail"]
    assert row_counts() == before


@pytest.mark.parametrize("write", WRITES, ids=op_id)
def test_null_is_refused_naming_the_field_or_taken_as_none(api, records, write):
    """Null for each field in turn (with the record's version where the change needs one):
    never the database's own words (a NOT NULL constraint), never a 500."""
    method, path, operation = write
    caller = api("manager")
    url = address(path, records)
    schema = _body_schema(operation)
    for name in schema.get("properties", {}):
        body = {name: None}
        if "version" in schema.get("required", []) and name != "version":
            record = address(path[: path.rindex("}") + 1], records)  # the record it changes
            # A session's answer has no version; a record nobody changed yet is at 1.
            body["version"] = caller.get(record).json().get("version", 1)
        response = send(caller, method, url, json.dumps(body))
        assert response.status_code < 500, (name, response.content)
        if response.status_code >= 400:
            answer = response.json()
            assert set(answer) >= {"detail", "code"}, answer
            assert not re.search(r"(?i)constraint|violates|null value|integrity", answer["detail"])


# ---------------------------------------------------------------- where in the body


def test_nul_deep_in_a_body_is_refused_where_it_is(api, records):
    caller = api("manager")
    before = row_counts()
    response = caller.post(
        "invoices",
        {"client": records["clients"], "lines": [{"item": 1}, {"description": "Gloss\x00"}]},
    )
    body = refused(
        response, 422, "invalid", f"The request is not valid: lines.1.description: {HAS_NUL}"
    )
    assert body["errors"][0]["loc"] == ["body", "lines", 1, "description"]
    assert body["fields"] == {"lines.1.description": [HAS_NUL]}
    assert row_counts() == before


def test_a_lone_surrogate_in_a_key_is_refused(api):
    response = api("manager").post("vendors", raw='{"name": "Lab", "\\udfff": 1}')
    body = refused(response, 422, "invalid", f"The request is not valid: ?: {NOT_UNICODE}")
    assert body["errors"][0]["loc"] == ["body", "?"]


def test_json_that_is_not_json_is_a_400_that_says_why(api):
    caller = api("manager")
    refused(
        caller.post("vendors", raw='{"name": NaN}'),
        400,
        "bad_request",
        "The request body is not valid JSON: NaN is not a JSON value.",
    )
    body = refused(caller.post("vendors", raw='{"name": "Lab",'), 400, "bad_request")
    assert body["detail"].startswith("The request body is not valid JSON: ")


def test_a_deeply_nested_body_is_a_400(api):
    refused(api("manager").post("vendors", raw="[" * 100_000), 400, "bad_request")


# ---------------------------------------------------------------- size


def test_a_body_over_the_limit_is_413(api):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert limit == 2_621_440  # 2.5 MB unless DARKROOM_MAX_REQUEST_MB says otherwise
    caller = api("manager")
    before = row_counts()
    response = caller.post("vendors", {"name": "Lab", "notes": "x" * limit})
    refused(
        response,
        413,
        "too_large",
        "The request body is larger than the 2,621,440 bytes the API accepts; send less at once.",
    )
    assert row_counts() == before


def test_the_limit_is_a_setting(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    caller = api("manager")
    refused(caller.post("vendors", {"name": "Lab", "notes": "x" * 100}), 413, "too_large")
    assert caller.post("vendors", {"name": "Lab"}).status_code == 201


# ---------------------------------------------------------------- searches and filters


SEARCHED_LISTS = [
    ("clients", "search"),
    ("sessions", "search"),
    ("invoices", "search"),
    ("users", "search"),
    ("production-orders", "q"),
    ("hub/orders", "q"),
    ("hub/summary", "q"),
    *((entry.slug, "search") for entry in ENTRIES),
]


@pytest.mark.parametrize("path,name", SEARCHED_LISTS, ids=lambda v: str(v))
@pytest.mark.parametrize("text", ["\x00", "Smith\x00", "a\x01b", "\x1b[0m", "\x7f"])
def test_a_search_with_control_characters_is_refused(api, path, name, text):
    response = api("readonly").get(path, **{name: text})
    problem = HAS_NUL if "\x00" in text else HAS_CONTROL
    body = refused(response, 422, "invalid", f"The request is not valid: {name}: {problem}")
    assert body["errors"] == [{"loc": ["query", name], "msg": problem, "type": "text"}]


def test_a_filter_with_nul_is_refused(api):
    refused(api("readonly").get("invoices", date_from="2026-01-01\x00"), 422, "invalid")


# ---------------------------------------------------------------- people and departments by id

NAMED_BY_ID = [
    ("POST", "/api/v1/production-orders/{id}/reassign", "department"),
    ("POST", "/api/v1/production-orders/{id}/reassign", "user"),
    ("POST", "/api/v1/preproduction-orders/{id}/reassign", "user"),
    ("PATCH", "/api/v1/production-orders/{id}", "order_type"),
    ("PATCH", "/api/v1/production-orders/{id}", "entered_by"),
    ("PATCH", "/api/v1/production-orders/{id}", "completed_by"),
    ("POST", "/api/v1/production-orders/{id}/status-changes", "updated_by"),
    ("POST", "/api/v1/production-orders/bulk-status-changes", "updated_by"),
    ("POST", "/api/v1/production-orders/bulk-reassign", "department"),
    ("POST", "/api/v1/preproduction-orders/bulk-reassign", "user"),
]


@pytest.mark.parametrize(("method", "path", "name"), NAMED_BY_ID)
def test_a_person_department_or_type_is_named_by_its_id(api, records, method, path, name):
    """A name where an id belongs is refused beside its field, and nothing is written."""
    assert (method, path) in {(m, p) for m, p, _ in WRITES}
    caller = api("manager")
    url = address(path, records)
    body = {name: "Ana Ruiz"}
    if "bulk" in path:
        body["items"] = [{"id": records[url.removeprefix(PREFIX).split("/")[0]]}]
    else:
        body["version"] = 1
    before = row_counts()
    answer = refused(send(caller, method, url, json.dumps(body)), 422, "invalid")
    assert name in answer["detail"]
    assert row_counts() == before
