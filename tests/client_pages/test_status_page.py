"""The client's status page: what it shows, what it never shows, and which addresses open it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from darkroom.clients.models import StatusLink
from darkroom.clients.status_links import status_link_issue, status_link_revoke
from darkroom.tracking.services import status_change, status_update
from tests.client_pages.conftest import SECRETS, text_of

pytestmark = pytest.mark.django_db


def open_page(path: str):
    return WebClient().get(path)


def test_the_page_greets_the_client_and_says_where_the_album_is(world, link):
    response = open_page(link)
    assert response.status_code == 200
    words = text_of(response.content.decode())
    assert "Bright Light Studio" in words
    assert "Hello Maya," in words
    assert f"no. {world.invoice.number}" in words
    assert "Wedding album" in words and "Leather album, 30 pages" in words
    # At the hidden step: the client reads the last step shown, with the day it began.
    assert "Wedding album Designing your album" in words
    assert "Designing your album Nov 30, 2026" in words
    # The promise, not the internal projection.
    assert "Expected by Dec 18, 2026" in words
    assert "Call 555-0100" in words and "Email hi@bright.test" in words


def test_a_shown_step_reads_under_its_client_name_and_joins_the_history(world, link, people):
    status_change(
        record=world.order,
        expected_version=world.order.version,
        updated_by=people["staff"],
        to_status=world.printing,
    )
    words = text_of(open_page(link).content.decode())
    assert "Wedding album Printing" in words
    assert "Designing your album Nov 30, 2026 Printing Dec 2, 2026" in words


def test_a_finished_order_says_so_and_a_hidden_final_step_reads_finished(world, link, people):
    status_change(
        record=world.order,
        expected_version=world.order.version,
        updated_by=people["staff"],
        to_status=world.delivered,
    )
    words = text_of(open_page(link).content.decode())
    assert "Wedding album Ready for pickup" in words
    assert "Finished on Dec 2, 2026." in words
    status_update(status=world.delivered, client_visible=False)
    words = text_of(open_page(link).content.decode())
    assert "Wedding album Finished" in words and "Ready for pickup" not in words


def test_nothing_shown_yet_reads_in_progress(world, link):
    status_update(status=world.design, client_visible=False)
    words = text_of(open_page(link).content.decode())
    assert "Wedding album In progress" in words
    assert "Designing your album" not in words and "Design" not in words


def test_nothing_internal_ever_reaches_the_page(world, link, people):
    """Notes, the vendor, costs and prices, staff and departments, and a hidden step's name are
    all on the order and its history; none is on the page (nor in the invoice's own part)."""
    html = open_page(link).content.decode()
    for what, secret in SECRETS.items():
        assert secret.lower() not in html.lower(), f"the page shows the {what}"
    # Nor once the studio shows the hidden step: then it is the name chosen for clients.
    status_update(status=world.hidden, client_visible=True, client_name="Retouching")
    html = open_page(link).content.decode()
    assert "Wedding album Retouching" in text_of(html)
    for what, secret in SECRETS.items():
        assert secret.lower() not in html.lower(), f"the page shows the {what}"


def test_the_page_is_private_to_whoever_holds_the_address(world, link):
    response = open_page(link)
    assert response["Cache-Control"] == "private, no-store"
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_unknown_revoked_and_expired_addresses_look_the_same(world, link, people, frozen_today):
    unknown = open_page("/status/drst_" + "A" * 43 + "/")
    not_ours = open_page("/status/nonsense/")
    assert unknown.status_code == not_ours.status_code == 404
    assert unknown["Cache-Control"] == "private, no-store"
    link_row = StatusLink.objects.get()
    status_link_revoke(link=link_row, by=people["staff"])
    revoked = open_page(link)
    assert revoked.status_code == 404
    assert revoked.content == unknown.content  # nothing tells a revoked link from none
    assert "This link doesn't work" in revoked.content.decode()
    assert "Maya" not in revoked.content.decode()

    later = timezone.now() + dt.timedelta(days=3)
    _, key = status_link_issue(invoice=world.invoice, by=people["staff"], expires_at=later)
    assert open_page(f"/status/{key}/").status_code == 200
    frozen_today(dt.date(2026, 12, 6))
    expired = open_page(f"/status/{key}/")
    assert expired.status_code == 404 and expired.content == unknown.content


def test_the_page_reads_a_few_queries_and_notes_when_it_was_opened(world, link):
    open_page(link)  # the process's first read of the calendar and content types
    row = StatusLink.objects.get()
    assert row.last_opened_at is not None
    StatusLink.objects.update(last_opened_at=None)
    with CaptureQueriesContext(connection) as queries:
        assert open_page(link).status_code == 200
    # lists stamp, link, invoice, orders, history, statuses, calendar key, detail lines, noted
    assert len(queries) <= 9, "\n".join(q["sql"] for q in queries.captured_queries)
    assert StatusLink.objects.get().last_opened_at is not None


IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
    " Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
PREVIEWS = {
    "iMessage": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like"
    " Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0",
    "WhatsApp": "WhatsApp/2.23.20.0 A",
    "Slack": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Teams": "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5",
    "Telegram": "TelegramBot (like TwitterBot)",
    "Mastodon": "http.rb/5.1.1 (Mastodon/4.2.1; +https://mastodon.social/)",
}


@pytest.mark.parametrize("app", PREVIEWS)
def test_a_messaging_apps_preview_is_answered_but_not_noted_as_the_client_opening_it(
    world, link, app
):
    previewed = WebClient(headers={"user-agent": PREVIEWS[app]}).get(link)
    assert previewed.status_code == 200 and "Bright Light Studio" in previewed.content.decode()
    assert StatusLink.objects.get().last_opened_at is None

    WebClient(headers={"user-agent": IPHONE_SAFARI}).get(link)  # the client, on their phone
    assert StatusLink.objects.get().last_opened_at is not None


def test_the_client_in_a_messaging_apps_own_browser_is_the_client(world, link):
    viber = f"{IPHONE_SAFARI} Viber/21.1.0"  # Viber opens links in a browser of its own
    WebClient(headers={"user-agent": viber}).get(link)
    assert StatusLink.objects.get().last_opened_at is not None


def test_many_orders_cost_no_more_queries_than_one(world, link, people):
    from tests import factories as f

    open_page(link)
    with CaptureQueriesContext(connection) as one:
        open_page(link)
    for _ in range(5):
        f.started_production_order(status=world.printing, invoice=world.invoice)
    open_page(link)
    with CaptureQueriesContext(connection) as six:
        words = text_of(open_page(link).content.decode())
    assert words.count("Printing") >= 5
    assert len(six) == len(one)
