"""A person makes an API token from the user menu, copies it, uses it, and revokes it; a manager
revokes someone else's on their page in Maintenance › People."""

import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect
from tests.browser.journey import log_in, screenshot
from tests.conftest import PASSWORD

from darkroom.studio.services import api_token_issue

pytestmark = pytest.mark.browser


def who_am_i(live_server, secret: str) -> tuple[int, dict]:
    """``GET /api/v1/me`` with the token, over real HTTP, as an integrator's program would."""
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as refusal:
        return refusal.code, json.load(refusal)


def test_make_use_and_revoke_a_token(page, people, live_server):
    log_in(page, "readonly", PASSWORD)
    page.locator("details.account summary").click()  # the account menu under the name
    expect(page.get_by_role("link", name="Change password")).to_be_visible()
    screenshot(page, "account-menu")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.get_by_text("No active tokens.")).to_be_visible()

    page.get_by_label("Name").fill("Accounting export")
    page.get_by_label("Stops working on").fill("2031-01-01")
    page.get_by_role("button", name="Make token").click()
    secret_field = page.get_by_label("The new token")
    expect(secret_field).to_be_visible()
    secret = secret_field.input_value()
    assert secret.startswith("drk_")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.wait_for_load_state()  # "Copy" is darkroom.js's (deferred): it listens from here
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == secret
    row = page.locator("table.tokens-table tbody tr", has_text="Accounting export")
    expect(row).to_contain_text(secret[:12] + "…")
    expect(row).to_contain_text("Jan 1, 2031")
    for width in (1366, 820):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"tokens-new-{width}")

    status, answer = who_am_i(live_server, secret)
    assert (status, answer["username"]) == (200, "readonly")

    page.goto("/account/tokens/")
    expect(page.get_by_label("The new token")).to_have_count(0)  # shown once only
    asked = []

    def dismiss_then_accept(dialog):
        asked.append(dialog.message)
        (dialog.dismiss if len(asked) == 1 else dialog.accept)()

    page.on("dialog", dismiss_then_accept)
    revoke = page.get_by_role("button", name="Revoke Accounting export")
    revoke.click()  # dismissed: nothing happens
    expect(revoke).to_be_visible()
    revoke.click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Revoked the token “Accounting export”."
    )
    assert asked[0].startswith("Revoke the token “Accounting export”?")
    expect(page.get_by_text("No active tokens.")).to_be_visible()
    page.get_by_text("Revoked and expired tokens (1)").click()
    expect(page.locator("details.tokens-past tbody tr")).to_contain_text("revoked")
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot(page, "tokens-revoked-1366")

    status, answer = who_am_i(live_server, secret)
    assert (status, answer["code"]) == (401, "not_authenticated")


def test_a_manager_revokes_a_persons_token_on_their_page(page, people, live_server):
    _, secret = api_token_issue(user=people["staff"], name="Lab sync")
    api_token_issue(user=people["staff"], name="Album uploads")
    log_in(page, "manager", PASSWORD)
    page.goto(f"/maintenance/people/{people['staff'].pk}/")
    panel = page.get_by_role("region", name="API tokens")
    expect(panel.get_by_role("row")).to_have_count(3)
    for width in (1366, 820):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"person-tokens-{width}")
    page.on("dialog", lambda dialog: dialog.accept())
    panel.get_by_role("button", name="Revoke Lab sync").click()
    expect(page.get_by_role("status").first).to_contain_text("Revoked the token “Lab sync”.")
    expect(page).to_have_url(f"{live_server.url}/maintenance/people/{people['staff'].pk}/")
    expect(panel.get_by_role("button", name="Revoke Lab sync")).to_have_count(0)
    expect(panel.get_by_role("button", name="Revoke Album uploads")).to_be_visible()
    status, answer = who_am_i(live_server, secret)
    assert (status, answer["code"]) == (401, "not_authenticated")
