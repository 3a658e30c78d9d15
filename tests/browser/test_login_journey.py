"""A person logs in, finds the main sections, and logs out; a login paused after wrong
passwords says why, and a manager unlocks it."""

import pytest
from django.conf import settings
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

    page.locator("details.account summary").click()  # logging out is in the menu under the name
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()


def test_a_paused_login_is_explained_and_a_manager_unlocks_it(page, browser, live_server, people):
    # The manager is already at work in their own browser.
    desk = browser.new_context(viewport={"width": 820, "height": 900}, base_url=live_server.url)
    manager = desk.new_page()
    log_in(manager, "manager", PASSWORD)

    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto("/login/")
        page.get_by_label("Username").fill("staff")
        page.get_by_label("Password").fill("a-wrong-guess")
        page.get_by_role("button", name="Log in").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Logging in is paused.")
    expect(alert).to_contain_text("Too many wrong passwords were tried for “staff”")
    expect(alert).to_contain_text("Maintenance › Locked-out logins")
    screenshot(page, "login-paused")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Logging in is paused.")

    manager.get_by_role("navigation", name="Main").get_by_role("link", name="Maintenance").click()
    manager.get_by_role("link", name="Locked-out logins").click()
    expect(manager.get_by_role("row", name="Username staff")).to_contain_text("5")
    screenshot(manager, "locked-out-logins-820")
    manager.get_by_role("button", name="Unlock username staff").click()
    expect(manager.get_by_role("status")).to_contain_text("Unlocked “staff”")
    # The failures came from this address, so forgetting them opened it too.
    expect(manager.get_by_text("No logins are paused now.")).to_be_visible()
    desk.close()

    log_in(page, "staff", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good to see you")
