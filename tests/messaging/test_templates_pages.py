"""Maintenance › Message templates as a person uses it: the list, the editor (errors beside the
field, in plain words), the SMS length as it is typed, the preview from a real record, delete
and make inactive; managers change, everyone else looks."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from darkroom.messaging.models import MessageTemplate
from darkroom.messaging.template_services import message_template_create
from darkroom.todos.services import task_create
from tests import factories as f
from tests.messaging.template_triggers import trigger_sending

pytestmark = pytest.mark.django_db

LIST = "/maintenance/message-templates/"
NEW = "/maintenance/message-templates/new/"
LENGTH = "/maintenance/message-templates/sms-length/"
PREVIEW = "/maintenance/message-templates/preview/"


def edit_url(template: MessageTemplate) -> str:
    return reverse("messaging:template-edit", args=[template.pk])


def sms(name: str = "Album ready (SMS)", body: str = "Hi {client_first_name}!") -> MessageTemplate:
    return message_template_create(name=name, channel="sms", body=body)


def email(name: str = "Album ready", subject: str = "Your album") -> MessageTemplate:
    return message_template_create(
        name=name, channel="email", subject=subject, body="Dear {client_first_name},"
    )


def row_names(html: str) -> list[str]:
    return re.findall(r'<th scope="row" class="row-head"><a [^>]*>([^<]*)</a>', html)


def test_the_maintenance_index_links_the_templates(web):
    for role in ("readonly", "staff", "manager"):
        page = web(role).get("/maintenance/").content.decode()
        assert f'href="{LIST}"' in page
        assert "Message templates" in page


def test_the_list_sorts_filters_searches_and_hides_inactive(web):
    sms("Balance due (SMS)", "Hi, a balance is due.")
    email("Album ready", "Your album is ready")
    retired = email("Old greeting", "Hello")
    retired.is_inactive = True
    retired.save()
    browser = web("readonly")
    page = browser.get(LIST).content.decode()
    assert row_names(page) == ["Album ready", "Balance due (SMS)"]
    assert "Add message template" not in page
    assert row_names(browser.get(LIST, {"sort": "-name"}).content.decode()) == [
        "Balance due (SMS)",
        "Album ready",
    ]
    assert row_names(browser.get(LIST, {"channel": "sms"}).content.decode()) == [
        "Balance due (SMS)"
    ]
    assert row_names(browser.get(LIST, {"q": "album"}).content.decode()) == ["Album ready"]
    shown = browser.get(LIST, {"inactive": "show", "sort": "channel"}).content.decode()
    assert row_names(shown) == ["Album ready", "Old greeting", "Balance due (SMS)"]
    printed = browser.get(LIST, {"print": "1"})
    assert printed.status_code == 200
    assert "Balance due (SMS)" in printed.text
    exported = browser.get(LIST, {"format": "xlsx"})
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "Add message template" in web("manager").get(LIST).content.decode()


def test_a_manager_writes_an_sms_template(web):
    browser = web("manager")
    page = browser.get(NEW + "?channel=sms").content.decode()
    assert 'data-placeholder="client_first_name"' in page
    assert "The client&#x27;s first name" in page
    assert "data-subject-field hidden" in page
    answer = browser.post(
        NEW,
        {
            "name": "Album ready (SMS)",
            "channel": "sms",
            "subject": "",
            "body": "Hi {client_first_name}, your album is ready.",
        },
    )
    assert answer.status_code == 302
    template = MessageTemplate.objects.get()
    assert (template.name, template.channel, template.subject) == ("Album ready (SMS)", "sms", "")


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ("{client.__class__}", "“{client.__class__}”: a placeholder is a name only"),
        ("{{ settings }}", "“{ settings }” is not a placeholder."),
        ("{due_date:%Y}", "“{due_date:%Y}”: a placeholder is a name only"),
        ("Hi {nickname}", "“{nickname}” is not a placeholder."),
    ],
)
def test_bad_words_are_refused_beside_the_field_by_name(web, body, named):
    answer = web("manager").post(
        NEW, {"name": "Ready", "channel": "email", "subject": "Ready", "body": body}
    )
    assert answer.status_code == 422
    page = answer.content.decode()
    errors = re.findall(r'<p class="field-error" id="id_body_error">([^<]*)</p>', page)
    assert any(named in e for e in errors), errors
    assert f"{escape(body)}</textarea>" in page  # what they typed stays in the field
    assert not MessageTemplate.objects.exists()


def test_an_email_needs_a_subject_and_an_sms_has_none(web):
    browser = web("manager")
    answer = browser.post(NEW, {"name": "Ready", "channel": "email", "subject": "", "body": "Hi"})
    assert answer.status_code == 422
    assert "An email needs a subject" in answer.content.decode()
    answer = browser.post(NEW, {"name": "Ready", "channel": "sms", "subject": "Hi", "body": "Hi"})
    page = answer.content.decode()
    assert "An SMS has no subject" in page
    assert "data-subject-field hidden" not in page  # the refused subject stays in sight
    assert not MessageTemplate.objects.exists()


def test_a_manager_edits_and_a_stale_form_is_refused(web):
    template = email()
    browser = web("manager")
    page = browser.get(edit_url(template)).content.decode()
    assert 'name="version" value="1"' in page
    words = {"name": "Album ready", "channel": "email", "subject": "Ready!", "body": "Hi"}
    assert browser.post(edit_url(template), {**words, "version": 1}).status_code == 302
    template.refresh_from_db()
    assert (template.subject, template.version) == ("Ready!", 2)
    stale = browser.post(edit_url(template), {**words, "subject": "Mine", "version": 1})
    assert stale.status_code == 409
    assert "changed by someone else" in stale.content.decode()
    template.refresh_from_db()
    assert template.subject == "Ready!"


def test_people_who_may_only_look_see_the_template_disabled(web):
    template = sms()
    for role in ("readonly", "staff"):
        browser = web(role)
        page = browser.get(edit_url(template)).content.decode()
        assert "Your role can look at this template" in page
        assert re.search(r'<textarea name="body"[^>]*disabled', page)
        assert "data-placeholder=" not in page
        assert ">Save<" not in page and ">Delete<" not in page
        refused = browser.post(
            edit_url(template), {"name": "X", "channel": "sms", "body": "X", "version": 1}
        )
        assert refused.status_code == 403
        assert browser.post(NEW, {"name": "X", "channel": "sms", "body": "X"}).status_code == 403
        url = reverse("messaging:template-delete", args=[template.pk])
        assert browser.post(url).status_code == 403
    template.refresh_from_db()
    assert (template.name, template.version) == ("Album ready (SMS)", 1)


def test_delete_refused_in_use_then_make_inactive(web):
    template = sms()
    trigger_sending(template)
    browser = web("manager")
    answer = browser.post(reverse("messaging:template-delete", args=[template.pk]))
    assert answer.status_code == 409
    page = answer.content.decode()
    assert "can&#x27;t be deleted: it is used by 1 trigger" in page
    assert "Make inactive" in page
    inactive = reverse("messaging:template-inactive", args=[template.pk])
    assert browser.post(inactive, {"inactive": "1"}).status_code == 302
    template.refresh_from_db()
    assert template.is_inactive
    assert browser.post(inactive, {"inactive": "0"}).status_code == 302
    template.refresh_from_db()
    assert not template.is_inactive


def test_delete_a_template_nothing_uses(web):
    template = email()
    answer = web("manager").post(reverse("messaging:template-delete", args=[template.pk]))
    assert answer.status_code == 302
    assert not MessageTemplate.objects.exists()


def test_the_sms_length_follows_the_text(web):
    browser = web("readonly")
    one = browser.post(LENGTH, {"channel": "sms", "body": "Hi {client_first_name}!"})
    assert "<strong>4</strong> characters · <strong>1</strong> part before the placeholders" in (
        one.text
    )
    assert "1 placeholder adds its value" in one.text
    two = browser.post(LENGTH, {"channel": "sms", "body": "x" * 161})
    assert "<strong>161</strong> characters · <strong>2</strong> parts" in two.text
    assert "GSM-7: 153 a part" in two.text
    curly = browser.post(LENGTH, {"channel": "sms", "body": "It’s ready"})
    assert "UCS-2: 70 a part" in curly.text
    assert browser.post(LENGTH, {"channel": "email", "body": "Hi"}).text.strip() == ""


def test_the_preview_fills_in_a_real_record(web):
    client = f.ClientFactory(first_name="Ada", last_name="Byron")
    invoice = f.InvoiceFactory(client=client, approximate_delivery_date=dt.date(2026, 12, 11))
    browser = web("staff")
    words = {
        "channel": "sms",
        "subject": "",
        "body": "Hi {client_first_name}, invoice {invoice_number} is due {promised_date}.",
        "record_kind": "invoice",
        "record_number": invoice.number,
    }
    answer = browser.post(PREVIEW, words)
    assert answer.status_code == 200
    assert f"Hi Ada, invoice {invoice.number} is due Friday, December 11, 2026." in answer.text
    assert f"Filled in from <strong>Invoice {invoice.number}</strong>" in answer.text
    assert "once filled in" in answer.text
    latest = browser.post(PREVIEW, {**words, "record_number": ""})
    assert "Hi Ada" in latest.text
    missing = browser.post(PREVIEW, {**words, "record_number": "99999"})
    assert missing.status_code == 422
    assert "There is no invoice 99999." in missing.text
    bad = browser.post(PREVIEW, {**words, "body": "Hi {client.__class__}"})
    assert bad.status_code == 422
    assert "a placeholder is a name only" in bad.text


def test_the_preview_finds_orders_by_number_and_hides_private_tasks(web, people):
    order = f.ProductionOrderFactory(number="1001")
    browser = web("readonly")
    words = {"channel": "email", "subject": "Order {order_number}", "body": "{vendor}"}
    answer = browser.post(
        PREVIEW, {**words, "record_kind": "production_order", "record_number": "#1001"}
    )
    assert "Subject:</span> Order 1001" in answer.text
    assert order.vendor.name in answer.text
    private = task_create(by=people["manager"], subject="Private", private=True)
    hidden = browser.post(
        PREVIEW, {**words, "record_kind": "task", "record_number": str(private.pk)}
    )
    assert hidden.status_code == 422
    assert f"There is no task {private.pk}." in hidden.text


def test_the_preview_suggests_the_latest_records_of_each_kind(web, people):
    invoice = f.InvoiceFactory()
    order = f.ProductionOrderFactory(number="1001")
    task_create(by=people["manager"], subject="Private call", private=True)
    page = web("readonly").get(edit_url(sms())).text
    assert 'list="recent-session"' in page
    assert f'<option value="{invoice.number}">Invoice {invoice.number}</option>' in page
    assert f'<option value="1001">{escape(str(order))}</option>' in page
    assert "Private call" not in page  # another person's private task


def test_a_person_who_may_only_look_previews_the_stored_words(web):
    f.SessionFactory(client=f.ClientFactory(first_name="Grace"))
    template = sms(body="Hello {client_first_name}")
    answer = web("readonly").post(
        PREVIEW, {"template": template.pk, "record_kind": "session", "record_number": ""}
    )
    assert answer.status_code == 200
    assert "Hello Grace" in answer.text
