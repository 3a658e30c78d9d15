"""On a phone: the front desk makes the client's status-page link on the invoice, copies it;
the client opens it in a browser of their own (no login) and reads where their album is in the
studio's words for clients; the front desk revokes it and the client's page says the link no
longer works."""

import re

import pytest
from playwright.sync_api import expect
from tests.browser.journey import log_in, screenshot
from tests.client_pages.conftest import SECRETS, studio, world  # noqa: F401 (fixtures)
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser]

PHONE = {"width": 390, "height": 844}


def test_the_front_desk_sends_the_link_and_the_client_follows_the_album(
    page,
    browser,
    world,  # noqa: F811 (the fixture imported above)
    live_server,
):
    page.set_viewport_size(PHONE)
    log_in(page, "staff", PASSWORD)
    page.goto(f"/invoices/{world.invoice.pk}/")
    panel = page.get_by_role("region", name="Client status page")
    expect(panel.get_by_text("The client has no working link.")).to_be_visible()
    panel.get_by_role("button", name=re.compile("^Make a link$")).click()
    expect(page.get_by_role("status").first).to_contain_text("Made a new link")
    address_field = panel.get_by_label("The client's link")
    expect(address_field).to_be_visible()
    address = address_field.input_value()
    assert address.startswith(f"{live_server.url}/status/drst_")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.wait_for_load_state()  # "Copy link" is darkroom.js's (deferred): it listens from here
    panel.get_by_role("button", name=re.compile("^Copy link$")).click()
    expect(panel.get_by_role("button", name=re.compile("^Copied$"))).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == address
    expect(panel.get_by_text("not opened yet")).to_be_visible()
    panel.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_path("client-status-panel-390"))
    page.set_viewport_size({"width": 1366, "height": 768})
    page.evaluate("window.scrollTo(0, 0)")  # the sticky menu over the top, not mid-page
    screenshot(page, "client-status-panel-1366")
    page.set_viewport_size(PHONE)

    # The client: a browser of their own, on a phone, never logged in.
    client = browser.new_context(viewport=PHONE, base_url=live_server.url)
    refused: list[str] = []
    client.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        phone = client.new_page()
        answer = phone.goto(address)
        assert answer is not None and answer.status == 200
        assert answer.headers["cache-control"] == "private, no-store"
        expect(phone.get_by_role("heading", level=1)).to_have_text("Hello Maya,")
        album = phone.get_by_test_id("part")
        expect(album.get_by_role("heading", name="Wedding album")).to_be_visible()
        # At a hidden step: the last step shown, in the words chosen for clients.
        expect(album.get_by_text(re.compile("^Designing your album$")).first).to_be_visible()
        expect(album.get_by_text("Expected by Dec 18, 2026.")).to_be_visible()
        album.get_by_text("Steps so far").click()
        expect(album.get_by_role("listitem").filter(has_text="Nov 30, 2026")).to_be_visible()
        expect(phone.get_by_role("link", name="Call 555-0100")).to_be_visible()
        body = phone.content().lower()
        for what, secret in SECRETS.items():
            assert secret.lower() not in body, f"the page shows the {what}"
        screenshot(phone, "client-status-page-390")
        phone.set_viewport_size({"width": 1366, "height": 768})
        screenshot(phone, "client-status-page-1366")
        phone.set_viewport_size(PHONE)

        # The front desk sees that it was opened, and revokes it.
        page.reload()
        expect(panel.get_by_text("last opened")).to_be_visible()
        page.on("dialog", lambda dialog: dialog.accept())
        panel.get_by_role("button", name=re.compile("^Revoke link$")).click()
        expect(page.get_by_role("status").first).to_contain_text("no longer opens")
        expect(panel.get_by_text("The client has no working link.")).to_be_visible()

        gone = phone.goto(address)
        assert gone is not None and gone.status == 404
        expect(phone.get_by_role("heading", level=1)).to_have_text("This link doesn't work")
        expect(phone.get_by_text("Maya")).to_have_count(0)
        screenshot(phone, "client-status-page-gone-390")
        assert refused == []
    finally:
        client.close()


def screenshot_path(name: str):
    from tests.browser.journey import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{name}.png"
