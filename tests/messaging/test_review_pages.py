"""The messaging pages: the review queue, the outbox, failed messages, the dry run, and the
communication log on a record's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from darkroom.messaging.firings import firings_process_due
from darkroom.messaging.models import Firing, Message
from darkroom.messaging.outbox import message_key, messages_write
from tests.messaging.conftest import MONDAY, advance

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(frozen_today, make_trigger, make_order, album, people, email_template):
    """One order in "Ready for pickup" whose email waits for review."""
    frozen_today(MONDAY)
    trigger = make_trigger(
        name="Tell the client", action="email", template=email_template, processing="review"
    )
    order = advance(make_order(email="ann@example.com"), album.ready, people["staff"])
    return trigger, order, Firing.objects.get(trigger=trigger)


def _message(order, **fields) -> Message:
    now = timezone.now()
    values = {
        "key": message_key("test", fields.get("to", "ann@example.com"), fields.get("state", "")),
        "channel": "email",
        "to": "ann@example.com",
        "to_name": "Ann Lee",
        "subject": "Your album",
        "body": "Hello",
        "next_attempt_at": now,
        "created_at": now,
        "client": order.client,
        "invoice": order.invoice,
        "content_type": ContentType.objects.get_for_model(order),
        "object_id": order.pk,
    } | fields
    (message,) = messages_write(messages=[Message(**values)])
    return message


def test_the_queue_shows_the_rendered_words_and_recipient(waiting, web):
    _, order, _ = waiting
    page = web("readonly").get(reverse("messages:review-queue")).content.decode()
    assert "Tell the client" in page
    assert "Ann Lee &lt;ann@example.com&gt;" in page
    assert "Your Album is ready, Ann" in page
    assert "Hello Ann, order 4821 is ready" in page
    assert order.get_absolute_url() in page
    assert "Process all" not in page  # read-only sees, never decides
    staff = web("staff").get(reverse("messages:review-queue")).content.decode()
    assert "Process all" in staff and 'value="skip"' in staff


def test_the_navigation_badge_counts_waiting_items(waiting, web):
    browser = web("staff")
    assert reverse("messages:review-count") in browser.get(reverse("studio:home")).content.decode()
    badge = browser.get(reverse("messages:review-count")).content.decode()
    assert '"review-count">1<' in badge


def test_staff_process_an_item_and_it_shows_in_the_orders_log(waiting, web):
    _, order, firing = waiting
    browser = web("staff")
    url = reverse("messages:review-decide", args=[firing.pk])
    answer = browser.post(url, {"decision": "process"})
    assert answer.status_code == 302
    firing.refresh_from_db()
    assert firing.state == "processed"
    (message,) = Message.objects.all()
    assert message.subject == "Your Album is ready, Ann"
    page = browser.get(order.get_absolute_url()).content.decode()
    assert "Communication log" in page and "Your Album is ready, Ann" in page
    assert "Queued" in page
    # The same item decided again (another tab): a plain sentence, nothing written.
    again = browser.post(
        reverse("messages:review-decide", args=[firing.pk]), {"decision": "skip"}, follow=True
    )
    assert "Someone decided first. This item was already processed" in again.content.decode()
    assert Message.objects.count() == 1


def test_read_only_may_not_decide(waiting, web):
    _, _, firing = waiting
    answer = web("readonly").post(
        reverse("messages:review-decide", args=[firing.pk]), {"decision": "process"}
    )
    assert answer.status_code == 403
    firing.refresh_from_db()
    assert firing.state == "in_review"


def test_a_whole_group_is_deleted_and_a_bad_decision_changes_nothing(
    waiting, web, make_order, album, people
):
    trigger, _, _ = waiting
    advance(make_order(email="bo@example.com"), album.ready, people["staff"])
    browser = web("staff")
    url = reverse("messages:review-decide-all", args=[trigger.pk])
    page = browser.post(url, {"decision": "explode"}, follow=True).content.decode()
    assert "Choose process, skip or delete." in page
    assert set(Firing.objects.values_list("state", flat=True)) == {"in_review"}
    page = browser.post(url, {"decision": "delete"}, follow=True).content.decode()
    assert "deleted 2 items" in page and "Nothing waits for review." in page
    assert set(Firing.objects.values_list("state", flat=True)) == {"deleted"}
    assert Message.objects.count() == 0


def test_the_outbox_filters_and_pages(waiting, web):
    _, order, _ = waiting
    sent = _message(order, state="sent", subject="Sent one")
    _message(order, state="queued", subject="Queued one", to="bo@example.com")
    browser = web("staff")
    page = browser.get(reverse("messages:outbox")).content.decode()
    assert "Sent one" in page and "Queued one" in page
    assert "Resend" not in page  # staff see; managers resend
    page = browser.get(reverse("messages:outbox"), {"state": "sent"}).content.decode()
    assert "Sent one" in page and "Queued one" not in page
    page = web("manager").get(reverse("messages:outbox")).content.decode()
    assert reverse("messages:resend", args=[sent.pk]) in page
    assert web("readonly").get(reverse("messages:outbox")).status_code == 403


def test_managers_resend_a_failed_message_and_abort_a_queued_one(waiting, web):
    _, order, _ = waiting
    failed = _message(order, state="failed", reason="550 no such user", attempts=3)
    queued = _message(order, state="queued", to="bo@example.com")
    browser = web("manager")
    page = browser.get(reverse("messages:failed")).content.decode()
    assert "550 no such user" in page and order.get_absolute_url() in page
    assert web("staff").get(reverse("messages:failed")).status_code == 403
    browser.post(reverse("messages:resend", args=[failed.pk]))
    copy = Message.objects.get(resend_of=failed)
    assert (copy.state, copy.to, copy.subject) == ("queued", failed.to, failed.subject)
    # Resending a queued message is refused in words, and writes nothing.
    page = browser.post(reverse("messages:resend", args=[queued.pk]), follow=True)
    assert "has not ended yet" in page.content.decode()
    assert Message.objects.filter(resend_of=queued).count() == 0
    browser.post(reverse("messages:abort", args=[queued.pk]))
    queued.refresh_from_db()
    assert queued.state == "aborted"
    staff = web("staff").post(reverse("messages:abort", args=[copy.pk]))
    assert staff.status_code == 403


def test_the_dry_run_page_defaults_to_tomorrow_and_refuses_a_bad_date(
    frozen_today, make_trigger, make_order, album, people, email_template, web
):
    frozen_today(MONDAY)
    make_trigger(name="Tell the client", action="email", template=email_template)
    browser = web("readonly")
    page = browser.get(reverse("messages:dry-run")).content.decode()
    assert 'value="2026-03-03"' in page and "Nothing fires by that day." in page
    order = make_order(email="ann@example.com")
    # Entering the status today fires today: tomorrow's dry run shows it (the worker catches up).
    advance(order, album.ready, people["staff"])
    before = Firing.objects.get().state
    page = browser.get(reverse("messages:dry-run")).content.decode()
    assert "Tell the client" in page and "Ann Lee &lt;ann@example.com&gt;" in page
    assert "Your Album is ready, Ann" in page
    assert Firing.objects.get().state == before and Message.objects.count() == 0
    bad = browser.get(reverse("messages:dry-run"), {"date": "2026-02-30"})
    assert bad.status_code == 422
    assert "is not a date" in bad.content.decode()
    day = (MONDAY - dt.timedelta(days=7)).isoformat()
    assert (
        "Nothing fires by that day."
        in browser.get(reverse("messages:dry-run"), {"date": day}).content.decode()
    )


def test_the_communication_log_costs_the_same_queries_however_long(
    waiting, web, make_trigger, album, people
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from darkroom.messaging.selectors import communication_log

    _, order, firing = waiting
    browser = web("manager")
    browser.post(reverse("messages:review-decide", args=[firing.pk]), {"decision": "process"})

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            communication_log(order)
        return len(captured)

    few = queries()
    for n in range(4):
        _message(order, to=f"ann{n}@example.com", state="failed", reason="550")
    # A task made by a trigger, linked from the log.
    make_trigger(name="Call about it", status=album.done, action="call")
    order = advance(order, album.done, people["staff"])
    firings_process_due()
    log = communication_log(order)
    assert len(log) == 6 and {e.kind for e in log} == {"email", "call"}
    assert queries() == few
    page = browser.get(order.get_absolute_url()).content.decode()
    call = next(e for e in log if e.kind == "call")
    assert reverse("todos:task-detail", args=[call.firing.task_id]) in page
    assert page.count(">Resend</button>") == 4  # the failed ones; the queued one has not ended
