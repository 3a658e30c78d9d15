"""A manager writes the "album ready" SMS: picks placeholders from the list beside the editor,
watches the length and parts follow the text, previews it for a real invoice, and saves; an
unknown placeholder is refused by name."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from tests.browser.journey import log_in, screenshot
from tests.conftest import PASSWORD
from tests.factories import ClientFactory, InvoiceFactory

from darkroom.messaging.models import MessageTemplate

pytestmark = pytest.mark.browser


def test_a_manager_writes_an_sms_template(page, people):
    invoice = InvoiceFactory(client=ClientFactory(first_name="Ada", last_name="Byron"))
    maintenance = reverse("maintenance:index")

    log_in(page, "manager", PASSWORD)
    page.goto(maintenance)
    page.get_by_role("link", name="Message templates").click()
    expect(page.get_by_role("heading", name="Message templates", level=1)).to_be_visible()
    page.get_by_role("link", name="Add message template").first.click()
    expect(page.get_by_role("heading", name="New message template", level=1)).to_be_visible()
    page.wait_for_load_state()  # the editor's script (deferred) is running: it hides the subject

    placeholders = page.get_by_role("complementary", name="Placeholders")
    expect(placeholders).to_contain_text("The client's first name")
    page.get_by_label("Name").fill("Album ready (SMS)")
    page.get_by_label("Channel").select_option(label="SMS")
    expect(page.get_by_label("Subject")).to_be_hidden()  # an SMS has no subject

    text = page.get_by_label("Text")
    text.fill("Hi , your album is ready at . Call us!")
    length = page.locator("[data-sms-length]")
    expect(length).to_contain_text("38 characters · 1 part")
    # The cursor after "Hi ": the placeholder goes there.
    text.evaluate("field => { field.focus(); field.setSelectionRange(3, 3); }")
    placeholders.get_by_role("button", name="{client_first_name}", exact=True).click()
    expect(text).to_have_value("Hi {client_first_name}, your album is ready at . Call us!")
    text.evaluate(
        "field => { const at = field.value.indexOf(' .') + 1; field.setSelectionRange(at, at); }"
    )
    placeholders.get_by_role("button", name="{studio_name}", exact=True).click()
    expect(text).to_have_value(
        "Hi {client_first_name}, your album is ready at {studio_name}. Call us!"
    )
    expect(length).to_contain_text("38 characters · 1 part before the placeholders")
    expect(length).to_contain_text("2 placeholders add their values")
    text.press("End")
    text.type(" " + "x" * 130)
    expect(length).to_contain_text("169 characters · 2 parts")
    expect(length).to_contain_text("GSM-7: 153 a part")
    text.fill("Hi {client_first_name}, your album is ready at {studio_name}. Call us!")
    expect(length).to_contain_text("1 part")

    # The preview, for a real invoice.
    page.get_by_label("Record").select_option(label="Invoice")
    page.get_by_label("Number", exact=True).fill(invoice.number)
    page.get_by_label("Number", exact=True).press("Enter")  # previews; saves nothing
    preview = page.locator("#template-preview")
    expect(preview).to_contain_text(f"Filled in from Invoice {invoice.number}")
    expect(preview).to_contain_text("Hi Ada, your album is ready at")
    assert not MessageTemplate.objects.exists()
    page.get_by_label("Number", exact=True).fill("")
    page.get_by_role("button", name="Preview").click()  # the latest invoice
    expect(preview).to_contain_text(f"Filled in from Invoice {invoice.number}")
    for width in (1366, 820):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"message-template-sms-{width}")
    page.set_viewport_size({"width": 1366, "height": 900})

    # An unknown placeholder is refused by name, beside the text, and nothing is saved.
    text.fill("Hi {client_nickname}, your album is ready.")
    page.get_by_role("button", name="Add message template").click()
    expect(page.locator("#id_body_error")).to_have_text("“{client_nickname}” is not a placeholder.")
    assert not MessageTemplate.objects.exists()
    screenshot(page, "message-template-refused")

    placeholders = page.get_by_role("complementary", name="Placeholders")
    text = page.get_by_label("Text")
    text.fill("Hi , your album is ready.")
    text.evaluate("field => { field.focus(); field.setSelectionRange(3, 3); }")
    placeholders.get_by_role("button", name="{client_first_name}", exact=True).click()
    page.get_by_role("button", name="Add message template").click()
    expect(page.get_by_role("status").first).to_contain_text("Added “Album ready (SMS)”.")
    expect(page.get_by_role("row", name="Album ready (SMS)")).to_contain_text("SMS")
    template = MessageTemplate.objects.get()
    assert (template.channel, template.subject, template.body) == (
        "sms",
        "",
        "Hi {client_first_name}, your album is ready.",
    )
