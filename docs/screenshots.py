"""Take the user guide's pictures of the reports from a running demo studio.

``make screenshots`` prepares the demo studio, serves it and runs this; to run it by hand, serve
the demo studio (``make run``) and give its address: ``python docs/screenshots.py
http://127.0.0.1:8000/``. Each report is opened as the demo's manager, in Debian's Chromium at a
laptop's size (1366 × 768), and saved as ``docs/images/report-<slug>.png``, the picture
``docs/user-guide.md`` shows. Taking them again after a report's page changes keeps the guide
true.

Why a script and not a test: the pictures are documents for people, made on demand from the demo
studio (whose dates move with today), not checks; the browser journeys in ``tests/browser`` are
the checks.
"""

from __future__ import annotations

import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

IMAGES = Path(__file__).resolve().parent / "images"
CHROMIUM = "/usr/bin/chromium"
USERNAME, PASSWORD = "manager", "darkroom-demo"  # the demo's manager (``darkroom demo``)
VIEWPORT = {"width": 1366, "height": 768}
SERVER_WAIT_S = 60.0

# (file name, address under /reports/): what each picture shows, with a filter where the default
# would show less than a studio sees in a normal week.
PICTURES = [
    ("report-order-status", "order-status/"),
    ("report-reorders", "reorders/"),
    ("report-profit", "profit/"),
    ("report-time-in-status", "time-in-status/"),
    ("report-vendor-performance", "vendor-performance/"),
    ("report-workload", "workload/"),
]


def wait_for_server(url: str) -> None:
    """The server started beside this script answers within a minute, or this gives up."""
    deadline = time.monotonic() + SERVER_WAIT_S
    while True:
        try:
            with urllib.request.urlopen(url + "login/", timeout=5):
                return
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                message = f"No Darkroom answered at {url} within {SERVER_WAIT_S:.0f} s."
                raise SystemExit(message) from None
            time.sleep(0.5)


def main(url: str) -> None:
    url = url.rstrip("/") + "/"
    wait_for_server(url)
    IMAGES.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport=VIEWPORT, base_url=url)
        page.goto("login/")
        page.get_by_label("Username").fill(USERNAME)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        for name, address in PICTURES:
            answer = page.goto(f"reports/{address}")
            if answer is None or answer.status != 200:
                print(f"  {name}: reports/{address} answered {answer and answer.status}, skipped")
                continue
            page.wait_for_load_state()
            path = IMAGES / f"{name}.png"
            page.screenshot(path=str(path))
            print(f"  {path.relative_to(IMAGES.parent.parent)}")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000/")
