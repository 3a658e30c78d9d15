"""What a person does in every journey: log in, and keep a picture of a page for review.

Every picture also checks that the page fits the window's width: at 1366 px and at 820 px (a
tablet held upright) nothing may push the page into sideways scrolling.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# The element sticking out furthest to the right, outside any box that scrolls or clips its own
# content (a wide table inside a scrolling wrapper is fine), described as tag#id.class "text".
WIDEST_ELEMENT = """
() => {
  const width = document.documentElement.clientWidth;
  const clipped = (element) => {
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  // An element reaches as far as its box, or as its content when that spills out (long text);
  // of equal reach the innermost (latest) element is named, not the page around it.
  const reach = (element) => {
    const box = element.getBoundingClientRect();
    const spills = getComputedStyle(element).overflowX === "visible";
    const right = spills ? Math.max(box.right, box.left + element.scrollWidth) : box.right;
    return window.scrollX + right;
  };
  let widest = null;
  let right = width + 1;
  for (const element of document.body.querySelectorAll("*")) {
    const edge = reach(element);
    if (edge >= right && !clipped(element)) { widest = element; right = edge; }
  }
  if (!widest) return "no single element found";
  const id = widest.id ? `#${widest.id}` : "";
  const classes = [...widest.classList].map((name) => `.${name}`).join("");
  const text = (widest.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
  return `${widest.tagName.toLowerCase()}${id}${classes} "${text}" reaches ${Math.round(right)} px`;
}
"""


def assert_fits_width(page: Page) -> None:
    """Fail when the page is wider than its window (it scrolls sideways), naming the culprit."""
    page.wait_for_load_state()  # an unstyled page never overflows: measure the styled one
    page_width, window_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if page_width > window_width:
        culprit = page.evaluate(WIDEST_ELEMENT)
        raise AssertionError(
            f"{page.url} is {page_width} px wide in a {window_width} px window: {culprit}"
        )


def assert_menu_on_one_line(page: Page) -> None:
    """Fail when the main menu's sections wrap onto a second line (at a laptop's width a
    manager's ten sections, the messages' count and their name fit on one)."""
    page.wait_for_load_state()
    tops = page.evaluate(
        "[...document.querySelectorAll('.mainnav a')].map((a) => a.getBoundingClientRect().top)"
    )
    assert tops and len(set(tops)) == 1, f"the menu takes {len(set(tops))} lines: {tops}"


def screenshot(page: Page, name: str) -> Path:
    """Keep a full-page picture of what the person sees, for review, once it fits the width."""
    assert_fits_width(page)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
