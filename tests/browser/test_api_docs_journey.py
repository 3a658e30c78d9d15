"""A developer reads the interactive API docs and tries a call, under the same strict policy."""

import pytest
from playwright.sync_api import expect
from tests.browser.journey import log_in, screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_the_api_docs_work_under_the_content_security_policy(page, people):
    log_in(page, "staff", PASSWORD)
    # Swagger UI lays out the whole API in the browser: seconds of work on a busy machine.
    page.set_default_timeout(30_000)
    page.goto("/api/v1/docs")
    expect(page.get_by_role("heading", name="Darkroom API")).to_be_visible(timeout=30_000)

    me = page.locator(".opblock").filter(has_text="/api/v1/me").first
    me.locator(".opblock-summary-control").click()
    me.get_by_role("button", name="Try it out").click()
    me.get_by_role("button", name="Execute").click()
    answer = me.locator(".live-responses-table tr.response")
    expect(answer.locator("td.response-col_status")).to_have_text("200", timeout=30_000)
    expect(answer).to_contain_text('"username": "staff"')
    screenshot(page, "api-docs-1366")
    page.set_viewport_size({"width": 820, "height": 1100})
    screenshot(page, "api-docs-820")
