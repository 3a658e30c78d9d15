"""Browser journeys: Debian's Chromium driven by Playwright against the live test server.

Playwright's sync API keeps an event loop running in this thread, which makes Django refuse ORM
calls from the test body ("SynchronousOnlyOperation"); the tests only touch the ORM between
browser steps, never concurrently with them, so the check is switched off for this folder.
Screenshots go to ``test-artifacts/`` for a person to look at.

Every journey fails if the browser refuses anything under the Content-Security-Policy: the
``page`` fixture collects each ``securitypolicyviolation`` event (from every page the journey
opens, across navigations) and each console message about the policy, and fails the test at its
end naming what was refused.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.urls import get_resolver

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Reported to Python as it happens, so a violation on a page the journey has left still counts.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportPolicyViolation(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline code"}` +
    ` on ${event.documentURI}` + (event.sample ? ` (${event.sample})` : "")
  );
});
"""


@pytest.fixture
def page(browser: Browser, live_server, request) -> Iterator[Page]:
    # Build the URL patterns (every API router) here, once per test process, rather than while
    # the browser waits for its first page against its time limit.
    get_resolver().resolve("/")
    context = browser.new_context(viewport={"width": 1366, "height": 768}, base_url=live_server.url)
    context.set_default_timeout(10_000)
    violations: list[str] = []

    def report_violation(description: str) -> None:
        violations.append(description)

    context.expose_function("__reportPolicyViolation", report_violation)
    context.add_init_script(REPORT_VIOLATIONS)

    def watch_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"console: {message.text}")

    context.on("page", lambda opened: opened.on("console", watch_console))
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"FAILED-{request.node.name}.png", full_page=True)
    if not page.is_closed():
        page.evaluate("0")  # a round trip, so reports already sent by the page have arrived
    context.close()
    if violations:
        pytest.fail(
            "The Content-Security-Policy refused something:\n" + "\n".join(violations),
            pytrace=False,
        )


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
