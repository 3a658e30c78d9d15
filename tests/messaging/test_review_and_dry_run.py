"""The review queue's decisions, the dry run and the communication log."""

from __future__ import annotations

import pytest

from darkroom.errors import Conflict
from darkroom.messaging.firings import firing_decide, firings_decide, firings_process_due
from darkroom.messaging.models import Firing, Message
from darkroom.messaging.selectors import communication_log, dry_run, review_count, review_queue
from tests.messaging.conftest import MONDAY, advance, business_days_after

pytestmark = pytest.mark.django_db


def test_review_items_show_what_process_will_do_and_process_does_it(
    frozen_today, make_trigger, make_order, album, people, email_template
):
    frozen_today(MONDAY)
    trigger = make_trigger(
        name="Tell the client", action="email", template=email_template, processing="review"
    )
    order = advance(make_order(email="ann@example.com"), album.ready, people["staff"])
    assert review_count() == 1
    (group,) = review_queue()
    assert (group.trigger, group.total) == (trigger, 1)
    (item,) = group.items
    assert item.plan.recipient_words == "Ann Lee <ann@example.com>"
    assert item.plan.subject == "Your Album is ready, Ann"
    assert item.record == order and item.client_name == "Ann Lee"
    assert Message.objects.count() == 0  # nothing until someone decides
    firings_process_due()
    assert Message.objects.count() == 0  # the worker leaves review items alone
    firing = firing_decide(firing=item.firing, decision="process", by=people["staff"])
    assert firing.state == "processed" and firing.decided_by == people["staff"]
    (message,) = Message.objects.all()
    assert (message.to, message.subject) == ("ann@example.com", "Your Album is ready, Ann")
    with pytest.raises(Conflict, match="already processed"):
        firing_decide(firing=item.firing, decision="skip", by=people["manager"])
    assert review_count() == 0
    log = communication_log(order)
    assert [(e.kind, e.state) for e in log] == [("email", "queued")]
    assert [e.kind for e in communication_log(order.client)] == ["email"]


def test_a_whole_group_is_skipped_at_once(frozen_today, make_trigger, make_order, album, people):
    frozen_today(MONDAY)
    trigger = make_trigger(processing="review")
    for _ in range(3):
        advance(make_order(), album.ready, people["staff"])
    assert firings_decide(trigger=trigger, decision="skip", by=people["staff"]) == 3
    assert set(Firing.objects.values_list("state", flat=True)) == {"skipped"}
    assert review_count() == 0


def test_the_dry_run_says_what_fires_by_a_day_and_writes_nothing(
    frozen_today, make_trigger, make_order, album, people, email_template
):
    frozen_today(MONDAY)
    make_trigger(
        name="Nudge", status=album.lab, when="after_due", days=1, action="email",
        template=email_template,
    )  # fmt: skip
    kept = advance(make_order(email="ann@example.com"), album.lab, people["staff"])
    left = advance(make_order(email="bo@example.com"), album.lab, people["staff"])
    left_firing = Firing.objects.get(object_id=left.pk)
    day = Firing.objects.get(object_id=kept.pk).due_on
    assert dry_run(day=business_days_after(MONDAY, 1)) == []
    before = list(Firing.objects.values_list("state", flat=True))
    items = dry_run(day=day)
    assert [(i.record, i.plan.recipient_words) for i in items] == [
        (kept, "Ann Lee <ann@example.com>"),
        (left, "Ann Lee <bo@example.com>"),
    ]
    assert list(Firing.objects.values_list("state", flat=True)) == before
    assert Message.objects.count() == 0
    assert left_firing.state == "scheduled"
