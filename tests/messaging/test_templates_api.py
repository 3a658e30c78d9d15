"""``/api/v1/message-templates``: list, create, get, change (version-checked), delete (refused
in use), the placeholders, and the preview; refusals in the house format, 403 for people who
may only look."""

from __future__ import annotations

import pytest

from darkroom.messaging.models import MessageTemplate
from darkroom.messaging.placeholders import PLACEHOLDERS
from darkroom.messaging.template_services import message_template_create
from tests import factories as f
from tests.messaging.template_triggers import trigger_sending

pytestmark = pytest.mark.django_db

SMS = {"name": "Album ready (SMS)", "channel": "sms", "body": "Hi {client_first_name}!"}


def test_create_get_list_and_change(api):
    manager = api("manager")
    made = manager.post("message-templates", SMS)
    assert made.status_code == 201, made.json()
    body = made.json()
    assert {k: body[k] for k in ("name", "channel", "subject", "is_inactive", "version")} == {
        "name": "Album ready (SMS)",
        "channel": "sms",
        "subject": "",
        "is_inactive": False,
        "version": 1,
    }
    path = f"message-templates/{body['id']}"
    assert manager.get(path).json()["body"] == "Hi {client_first_name}!"
    manager.post(
        "message-templates",
        {"name": "Album ready", "channel": "email", "subject": "Ready", "body": "Hi"},
    )
    listed = api("readonly").get("message-templates", sort="-name", limit=1).json()
    assert [t["name"] for t in listed["results"]] == ["Album ready (SMS)"]
    assert listed["next_cursor"]
    rest = api("readonly").get("message-templates", sort="-name", cursor=listed["next_cursor"])
    assert [t["name"] for t in rest.json()["results"]] == ["Album ready"]
    only_sms = manager.get("message-templates", channel="sms").json()["results"]
    assert [t["name"] for t in only_sms] == ["Album ready (SMS)"]

    changed = manager.patch(path, {"version": 1, "body": "Hello {client_name}"})
    assert changed.status_code == 200
    assert (changed.json()["body"], changed.json()["version"]) == ("Hello {client_name}", 2)
    stale = manager.patch(path, {"version": 1, "body": "Mine"})
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    retired = manager.patch(path, {"version": 2, "is_inactive": True})
    assert retired.json()["is_inactive"] is True
    assert manager.get("message-templates", inactive="hide").json()["results"][0]["channel"] == (
        "email"
    )
    assert [
        t["name"] for t in manager.get("message-templates", inactive="only").json()["results"]
    ] == ["Album ready (SMS)"]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("{client.__class__}", "{client.__class__}"),
        ("{{ settings }}", "{ settings }"),
        ("{due_date:%Y}", "{due_date:%Y}"),
    ],
)
def test_bad_words_are_refused_by_name(api, text, named):
    answer = api("manager").post("message-templates", {**SMS, "body": f"Hi {text}"})
    assert answer.status_code == 422
    refusal = answer.json()
    assert refusal["code"] == "invalid"
    assert any(named in problem for problem in refusal["fields"]["body"]), refusal
    assert named in refusal["detail"]
    assert not MessageTemplate.objects.exists()


def test_every_problem_by_field_and_a_taken_name(api):
    manager = api("manager")
    answer = manager.post(
        "message-templates",
        {"name": "Ready", "channel": "email", "subject": "{x}", "body": "{y} {z.a}"},
    )
    assert answer.status_code == 422
    fields = answer.json()["fields"]
    assert fields["subject"] == ["“{x}” is not a placeholder."]
    assert len(fields["body"]) == 2
    assert manager.post("message-templates", SMS).status_code == 201
    taken = manager.post("message-templates", {**SMS, "name": "ALBUM READY (sms)"})
    assert taken.status_code == 409
    assert taken.json()["code"] == "duplicate"
    unknown = manager.post("message-templates", {**SMS, "sender": "me"})
    assert unknown.status_code == 422
    nul = manager.post("message-templates", {**SMS, "body": "Hi\u0000"})
    assert nul.status_code in (400, 422)
    null = manager.patch(
        f"message-templates/{MessageTemplate.objects.get().pk}", {"version": 1, "body": None}
    )
    assert null.status_code == 422
    assert MessageTemplate.objects.count() == 1


def test_only_managers_write(api):
    template = message_template_create(**SMS)
    for role in ("readonly", "staff"):
        caller = api(role)
        assert caller.get(f"message-templates/{template.pk}").status_code == 200
        for answer in (
            caller.post("message-templates", {**SMS, "name": "Other"}),
            caller.patch(f"message-templates/{template.pk}", {"version": 1, "body": "X"}),
            caller.delete(f"message-templates/{template.pk}"),
        ):
            assert answer.status_code == 403
            assert answer.json()["code"] == "permission_denied"
    template.refresh_from_db()
    assert (template.body, template.version) == ("Hi {client_first_name}!", 1)
    assert MessageTemplate.objects.count() == 1
    assert api(None).get("message-templates").status_code == 401


def test_delete_refused_in_use(api):
    template = message_template_create(**SMS)
    trigger = trigger_sending(template)
    manager = api("manager")
    refused = manager.delete(f"message-templates/{template.pk}")
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "“Album ready (SMS)” can't be deleted: it is used by 1 trigger. "
        "Make it inactive instead.",
        "code": "in_use",
    }
    trigger.delete()
    assert manager.delete(f"message-templates/{template.pk}").status_code == 204
    assert manager.get(f"message-templates/{template.pk}").json()["code"] == "not_found"


def test_the_placeholders(api):
    answer = api("readonly").get("message-templates/placeholders")
    assert answer.status_code == 200
    assert answer.json() == {
        "results": [{"name": n, "description": d} for n, d in PLACEHOLDERS.items()],
        "next_cursor": None,
    }


def test_the_preview(api):
    client = f.ClientFactory(first_name="Ada")
    invoice = f.InvoiceFactory(client=client)
    reader = api("readonly")
    answer = reader.post(
        "message-templates/preview",
        {
            "channel": "sms",
            "body": "Hi {client_first_name}, invoice {invoice_number} is ready.",
            "record": {"kind": "invoice", "id": invoice.pk},
        },
    )
    assert answer.status_code == 200, answer.json()
    text = f"Hi Ada, invoice {invoice.number} is ready."
    assert answer.json() == {
        "record": {"kind": "invoice", "id": invoice.pk, "label": f"Invoice {invoice.number}"},
        "subject": "",
        "body": text,
        "sms": {"length": len(text), "parts": 1, "encoding": "GSM-7", "per_part": 160},
    }
    bad = reader.post(
        "message-templates/preview",
        {
            "channel": "email",
            "subject": "",
            "body": "{client.__class__}",
            "record": {"kind": "invoice", "id": invoice.pk},
        },
    )
    assert bad.status_code == 422
    assert set(bad.json()["fields"]) == {"subject", "body"}
    missing = reader.post(
        "message-templates/preview",
        {"channel": "sms", "body": "Hi", "record": {"kind": "session", "id": 987654}},
    )
    assert missing.status_code == 422
    assert missing.json()["fields"] == {"record": ["There is no session 987654."]}
    kind = reader.post(
        "message-templates/preview",
        {"channel": "sms", "body": "Hi", "record": {"kind": "client", "id": client.pk}},
    )
    assert kind.status_code == 422


def test_the_schema_documents_the_operations(api):
    schema = api("readonly").get("openapi.json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/message-templates"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/message-templates/{id}"])
    patch = paths["/api/v1/message-templates/{id}"]["patch"]
    assert {"404", "409", "422"} <= set(patch["responses"])
    assert "200" in paths["/api/v1/message-templates/placeholders"]["get"]["responses"]
    assert "422" in paths["/api/v1/message-templates/preview"]["post"]["responses"]
