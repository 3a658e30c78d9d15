"""The review queue, the dry run, the outbox and the communication logs over the API."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from darkroom.api.api import api as darkroom_api
from darkroom.api.lists import cursor_after
from darkroom.messaging.api.messages import LOG_ORDER
from darkroom.messaging.models import Firing, Message
from darkroom.messaging.outbox import message_key, messages_write
from tests.messaging.conftest import MONDAY, advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(frozen_today, make_trigger, make_order, album, people, email_template):
    frozen_today(MONDAY)
    trigger = make_trigger(
        name="Tell the client", action="email", template=email_template, processing="review"
    )
    order = advance(make_order(email="ann@example.com"), album.ready, people["staff"])
    return trigger, order, Firing.objects.get(trigger=trigger)


def _failed(order) -> Message:
    now = timezone.now()
    message = Message(
        key=message_key("test", "failed"), channel="email", to="ann@example.com",
        subject="Your album", body="Hello", state="failed", reason="550 no such user",
        attempts=3, next_attempt_at=now, created_at=now, client=order.client,
        invoice=order.invoice,
    )  # fmt: skip
    return messages_write(messages=[message])[0]


def test_the_queue_answers_rendered_words_and_recipients(waiting, api):
    trigger, order, firing = waiting
    answer = api("readonly").get("review-queue")
    assert answer.status_code == 200
    (group,) = answer.json()["results"]
    assert (group["trigger"], group["trigger_name"], group["total"]) == (
        trigger.pk, "Tell the client", 1,
    )  # fmt: skip
    (item,) = group["items"]
    assert item["firing_id"] == firing.pk
    assert item["recipient"] == "Ann Lee <ann@example.com>"
    assert item["subject"] == "Your Album is ready, Ann"
    assert item["body"].startswith("Hello Ann, order 4821")
    assert item["record"]["url"] == order.get_absolute_url()
    assert item["client_name"] == "Ann Lee"


def test_staff_decide_read_only_is_refused_and_a_second_decision_is_a_conflict(waiting, api):
    _, order, firing = waiting
    refused = api("readonly").post(f"review-queue/{firing.pk}/decision", {"decision": "process"})
    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    assert Message.objects.count() == 0
    answer = api("staff").post(f"review-queue/{firing.pk}/decision", {"decision": "process"})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["state"] == "processed"
    assert Message.objects.get().subject == "Your Album is ready, Ann"
    again = api("manager").post(f"review-queue/{firing.pk}/decision", {"decision": "skip"})
    assert again.status_code == 409
    assert again.json()["code"] == "conflict"
    assert "already processed" in again.json()["detail"]
    log = api("readonly").get(f"production-orders/{order.pk}/communications").json()["results"]
    assert [(e["kind"], e["state"], e["what"]) for e in log] == [
        ("email", "queued", "Your Album is ready, Ann")
    ]
    assert api("readonly").get(f"clients/{order.client_id}/communications").json()["results"]
    assert api("readonly").get(f"invoices/{order.invoice_id}/communications").json()["results"]


def test_bad_decisions_and_unknown_items_change_nothing(waiting, api):
    trigger, _, firing = waiting
    staff = api("staff")
    bad = staff.post(f"review-queue/{firing.pk}/decision", {"decision": "explode"})
    assert bad.status_code == 422
    extra = staff.post(f"review-queue/{firing.pk}/decision", {"decision": "skip", "why": 1})
    assert extra.status_code == 422
    assert staff.post("review-queue/999999/decision", {"decision": "skip"}).status_code == 404
    unknown = staff.post("review-queue/decisions", {"trigger_id": 999999, "decision": "skip"})
    assert unknown.status_code == 422
    firing.refresh_from_db()
    assert firing.state == "in_review"
    answer = staff.post("review-queue/decisions", {"trigger_id": trigger.pk, "decision": "skip"})
    assert answer.json() == {"trigger_id": trigger.pk, "decided": 1}
    firing.refresh_from_db()
    assert firing.state == "skipped"


def test_the_preview_route_wins_over_a_trigger_id(waiting, api):
    answer = api("readonly").get("triggers/preview", date="2026-03-02")
    assert answer.status_code == 200
    assert answer.json()["date"] == "2026-03-02"
    assert api("readonly").get("triggers/preview", date="2026-02-30").status_code == 422
    assert api("readonly").get("triggers/preview", date="86400").status_code == 422
    default = api("readonly").get("triggers/preview").json()
    assert default["date"] == "2026-03-03"


def test_the_preview_shows_a_due_firing_with_its_words(
    frozen_today, make_trigger, make_order, album, people, email_template, api
):
    frozen_today(MONDAY)
    make_trigger(name="Tell the client", action="email", template=email_template)
    advance(make_order(email="ann@example.com"), album.ready, people["staff"])
    (item,) = api("readonly").get("triggers/preview", date="2026-03-02").json()["items"]
    assert item["recipient"] == "Ann Lee <ann@example.com>" and item["note"] == ""
    assert Message.objects.count() == 0


def test_messages_list_filters_and_pages(waiting, api):
    _, order, firing = waiting
    api("staff").post(f"review-queue/{firing.pk}/decision", {"decision": "process"})
    failed = _failed(order)
    assert api("readonly").get("messages").status_code == 403
    staff = api("staff")
    page = staff.get("messages", limit=1).json()
    assert len(page["results"]) == 1 and page["next_cursor"]
    rest = staff.get("messages", limit=1, cursor=page["next_cursor"]).json()["results"]
    assert rest and rest[0]["id"] != page["results"][0]["id"]
    only = staff.get("messages", state="failed").json()["results"]
    assert [m["id"] for m in only] == [failed.pk]
    assert only[0]["reason"] == "550 no such user"
    assert staff.get("messages", client_id=order.client_id, channel="sms").json()["results"] == []
    assert staff.get("messages", state="lost").status_code == 422
    assert staff.get(f"messages/{failed.pk}").json()["attempts"] == 3
    assert staff.get("messages/999999").status_code == 404


def test_managers_resend_and_abort(waiting, api):
    _, order, firing = waiting
    api("staff").post(f"review-queue/{firing.pk}/decision", {"decision": "process"})
    queued = Message.objects.get()
    failed = _failed(order)
    refused = api("staff").post(f"messages/{failed.pk}/resend")
    assert refused.status_code == 403 and Message.objects.count() == 2
    manager = api("manager")
    copy = manager.post(f"messages/{failed.pk}/resend")
    assert copy.status_code == 201
    assert (copy.json()["resend_of"], copy.json()["state"]) == (failed.pk, "queued")
    pending = manager.post(f"messages/{queued.pk}/resend")
    assert (pending.status_code, pending.json()["code"]) == (400, "message_pending")
    aborted = manager.post(f"messages/{queued.pk}/abort")
    assert aborted.json()["state"] == "aborted"
    twice = manager.post(f"messages/{queued.pk}/abort")
    assert (twice.status_code, twice.json()["code"]) == (400, "message_not_pending")


def test_openapi_documents_every_operation_and_its_refusals():
    paths = darkroom_api.get_openapi_schema()["paths"]
    for path, method, codes in (
        ("/api/v1/review-queue", "get", {"200", "401", "403"}),
        ("/api/v1/review-queue/{firing_id}/decision", "post", {"200", "403", "404", "409"}),
        ("/api/v1/review-queue/decisions", "post", {"200", "403", "422"}),
        ("/api/v1/triggers/preview", "get", {"200", "422"}),
        ("/api/v1/messages", "get", {"200", "403"}),
        ("/api/v1/messages/{id}", "get", {"200", "404"}),
        ("/api/v1/messages/{id}/resend", "post", {"201", "400", "403"}),
        ("/api/v1/messages/{id}/abort", "post", {"200", "400", "403"}),
        ("/api/v1/sessions/{session_id}/communications", "get", {"200", "404"}),
        ("/api/v1/preproduction-orders/{id}/communications", "get", {"200", "404"}),
    ):
        assert codes <= {str(c) for c in paths[path][method]["responses"]}, path


def _messages_about(order, count: int) -> list[Message]:
    now = timezone.now()  # the same moment for each: the log's order must still be total
    about = {"content_type": ContentType.objects.get_for_model(order), "object_id": order.pk}
    made = [
        Message(
            key=message_key("test", f"page-{n}"),
            channel="email",
            to="ann@example.com",
            subject=f"Note {n}",
            body="Hello",
            state="sent",
            attempts=1,
            next_attempt_at=now,
            created_at=now,
            client=order.client,
            invoice=order.invoice,
            **about,
        )
        for n in range(count)
    ]
    return messages_write(messages=made)


def test_a_communication_log_comes_a_page_at_a_time_without_repeats(waiting, api):
    _, order, firing = waiting
    api("staff").post(f"review-queue/{firing.pk}/decision", {"decision": "skip"})
    _messages_about(order, 4)
    reader = api("readonly")
    url = f"production-orders/{order.pk}/communications"
    whole = reader.get(url, limit=500).json()
    assert whole["next_cursor"] is None
    assert sorted(e["what"] for e in whole["results"]) == [
        "Note 0", "Note 1", "Note 2", "Note 3", "Tell the client",
    ]  # fmt: skip
    paged, cursor = [], None
    for _ in range(6):
        page = reader.get(url, limit=2, **({"cursor": cursor} if cursor else {})).json()
        paged += page["results"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert paged == whole["results"]
    for cursor in ("x", cursor_after([1], "another list"), cursor_after([1, 2, 3], LOG_ORDER)):
        refused = reader.get(url, cursor=cursor)
        assert (refused.status_code, list(refused.json()["fields"])) == (422, ["cursor"])
