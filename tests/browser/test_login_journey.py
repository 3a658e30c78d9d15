"""A person logs in, finds the main sections, and logs out."""

import pytest
from playwright.sync_api import expect
from tests.browser.journey import log_in, screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_log_in_and_out(page, people):
    page.goto("/")
    expect(page).to_have_url(f"{page.url.split('/login/')[0]}/login/?next=/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("don't match")

    log_in(page, "manager", PASSWORD)
    nav = page.get_by_role("navigation", name="Main")
    for section in ("Clients", "Sessions", "Invoices", "Production", "Maintenance"):
        expect(nav.get_by_role("link", name=section)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good to see you")
    screenshot(page, "home")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
