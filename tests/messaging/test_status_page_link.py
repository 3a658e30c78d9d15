"""{status_page_link}: a message carries a working link to the client's status page. Planning
(the preview, the review queue, the dry run) shows the address and makes nothing; sending makes
the link the words name, once per invoice."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient

from darkroom.clients.models import StatusLink
from darkroom.clients.status_links import status_link_issue, status_link_revoke
from darkroom.messaging.actions import plan_action
from darkroom.messaging.firings import firings_process_due
from darkroom.messaging.models import Firing, Message, MessageTemplate
from darkroom.messaging.placeholders import PLACEHOLDERS, check_text
from darkroom.messaging.template_selectors import template_preview
from tests.messaging.conftest import MONDAY, advance

pytestmark = pytest.mark.django_db

BODY = "Hello {client_first_name}, see where your album is: {status_page_link}"


@pytest.fixture
def link_template(db) -> MessageTemplate:
    return MessageTemplate.objects.create(
        name="Where is my album", channel="email", subject="Your album", body=BODY
    )


def path_of(address: str) -> str:
    assert address.startswith("http://localhost:8000/status/drst_"), address
    return address.removeprefix("http://localhost:8000")


def test_the_placeholder_is_offered_and_accepted():
    assert "status_page_link" in PLACEHOLDERS
    assert check_text(BODY) == []


def test_a_sent_message_carries_a_link_that_opens_the_clients_page(
    frozen_today, make_trigger, make_order, album, people, link_template
):
    frozen_today(MONDAY)
    trigger = make_trigger(action="email", template=link_template, task_subject="")
    order = advance(make_order(), album.ready, people["staff"])
    planned = plan_action(trigger, order)
    assert not StatusLink.objects.exists()  # planning makes nothing
    address = planned.body.split(": ", 1)[1]
    firings_process_due()
    assert Firing.objects.get(object_id=order.pk).state == "processed"
    message = Message.objects.get()
    assert message.body == planned.body  # the address planned is the address sent
    link = StatusLink.objects.get()
    assert (link.invoice_id, link.created_by) == (order.invoice_id, None)
    page = WebClient().get(path_of(address))
    assert page.status_code == 200 and "Hello Ann," in page.content.decode()


def test_a_second_message_reuses_the_working_link_and_a_revoked_one_is_replaced(
    frozen_today, make_trigger, make_order, album, people, link_template
):
    frozen_today(MONDAY)
    trigger = make_trigger(action="email", template=link_template, task_subject="")
    order = advance(make_order(), album.ready, people["staff"])
    made, key = status_link_issue(invoice=order.invoice, by=people["staff"])
    assert plan_action(trigger, order).body.endswith(f"/status/{key}/")
    status_link_revoke(link=made, by=people["staff"])
    fresh = plan_action(trigger, order).body.split(": ", 1)[1]
    assert key not in fresh
    firings_process_due()
    assert Message.objects.get().body.endswith(fresh)
    assert WebClient().get(path_of(fresh)).status_code == 200
    assert WebClient().get(f"/status/{key}/").status_code == 404


def test_the_preview_shows_the_link_without_making_it(make_order, link_template):
    order = make_order()
    preview = template_preview(channel="email", subject="Album", body=BODY, record=order)
    assert "/status/drst_" in preview.body
    assert not StatusLink.objects.exists()


def test_words_without_the_placeholder_never_read_the_links(
    frozen_today, make_trigger, make_order, album, people, email_template
):
    frozen_today(MONDAY)
    make_trigger(action="email", template=email_template, task_subject="")
    advance(make_order(), album.ready, people["staff"])
    firings_process_due()
    assert Message.objects.count() == 1
    assert not StatusLink.objects.exists()
