"""Production automation as people and integrators meet it: the Maintenance page, the invoice
page's question and "Not now", the messages after a save or a payment, and the API."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest

from darkroom.clients.models import Invoice
from darkroom.production.automation_preferences import (
    production_automation,
    production_automation_update,
)
from darkroom.production.models import ProductionAutomation, ProductionOrder
from darkroom.studio.selectors import studio_preferences
from tests.production.test_automation import make_shop, new_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(people):
    return make_shop(people)


def today() -> str:
    return studio_preferences().today().isoformat()


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def follow(browser, response) -> str:
    assert response.status_code == 302, text(response)
    return text(browser.get(response["Location"]))


# -- Maintenance › Production automation -----------------------------------------------------------


def test_managers_find_the_page_under_maintenance_and_see_the_choices(web, shop):
    index = text(web("manager").get("/maintenance/"))
    assert 'href="/production/automation/"' in index and "Production automation" in index
    assert "/production/automation/" not in text(web("staff").get("/maintenance/"))
    page = text(web("manager").get("/production/automation/"))
    assert "When the invoice is paid in full" in page
    assert "Ask the person whether to create them" in page
    statuses = re.search(r'name="invoice_status".*?</select>', page).group(0)
    assert ">Ready<" in statuses and "Prints at vendor" not in statuses  # invoice statuses only


@pytest.mark.parametrize("role", ["readonly", "staff"])
def test_only_managers_open_or_change_it(web, shop, role):
    assert web(role).get("/production/automation/").status_code == 403
    response = web(role).post("/production/automation/", {"moment": "invoice_saved"})
    assert response.status_code == 403
    assert not ProductionAutomation.objects.exists()


def test_a_manager_saves_the_automation(web, shop):
    browser = web("manager")
    response = browser.post(
        "/production/automation/",
        {
            "moment": "paid_percent",
            "paid_percent": "40",
            "action": "prompt",
            "invoice_status": "",
            "finished_invoice_status": str(shop.delivered.pk),
            "finished_sets_delivered_date": "on",
            "finished_task_user": str(shop.manager.pk),
        },
    )
    assert "Saved the production automation." in follow(browser, response)
    saved = production_automation()
    assert (saved.moment, saved.paid_percent, saved.action) == ("paid_percent", 40, "prompt")
    assert saved.finished_invoice_status == shop.delivered
    assert saved.finished_sets_delivered_date and saved.finished_task_user == shop.manager


def test_a_missing_percentage_is_shown_beside_its_field_and_nothing_is_saved(web, shop):
    response = web("manager").post(
        "/production/automation/", {"moment": "paid_percent", "action": "create"}
    )
    assert response.status_code == 422
    page = text(response)
    assert re.search(
        r'id="id_paid_percent".*?class="field-error"[^>]*>Give the share of the total', page
    )
    assert not ProductionAutomation.objects.exists()


# -- the invoice page ----------------------------------------------------------------------------


def test_the_invoice_page_asks_and_not_now_puts_the_question_away(web, shop):
    production_automation_update(moment="paid_in_full", action="prompt")
    invoice = new_invoice(shop)
    browser = web("staff")
    response = browser.post(
        f"/invoices/{invoice.pk}/payments/",
        {"date": today(), "amount": "100.00", "method": "card", "reference": ""},
    )
    page = follow(browser, response)
    assert "Paid in full: create this invoice's production orders now?" in page
    assert f'href="/production/invoices/{invoice.pk}/orders/new/"' in page
    assert "Create production orders" in page and "Not now" in page
    # Read-only people see the question but no buttons.
    seen = text(web("readonly").get(f"/invoices/{invoice.pk}/"))
    assert "Paid in full: create" in seen and "Not now" not in seen
    assert (
        web("readonly").post(f"/production/invoices/{invoice.pk}/orders/not-now/").status_code
        == 403
    )
    response = browser.post(f"/production/invoices/{invoice.pk}/orders/not-now/")
    assert response["Location"] == f"/invoices/{invoice.pk}/#production-orders"
    assert Invoice.objects.get(pk=invoice.pk).production_orders_prompt == ""
    assert "create this invoice's production orders now?" not in text(
        browser.get(f"/invoices/{invoice.pk}/")
    )


def test_creating_from_the_question_answers_it(web, shop):
    production_automation_update(moment="invoice_saved", action="prompt")
    invoice = new_invoice(shop)
    browser = web("staff")
    response = browser.post(
        f"/production/invoices/{invoice.pk}/orders/new/",
        {"details": "automatic", "order_date": today()},
    )
    assert response.status_code == 302, text(response)
    assert ProductionOrder.objects.filter(invoice=invoice).count() == 2
    assert Invoice.objects.get(pk=invoice.pk).production_orders_prompt == ""


def test_the_editor_says_what_was_made_when_an_invoice_is_saved(web, shop):
    production_automation_update(moment="invoice_saved", action="create")
    browser = web("staff")
    data = {
        "invoice_date": today(),
        "line_id": ["", ""],
        "line_item": [str(shop.print_item.pk), str(shop.album_item.pk)],
        "line_quantity": ["1", "1"],
        "line_price": ["50.00", "50.00"],
        "line_description": ["", ""],
        "line_vendor": ["", ""],
    }
    response = browser.post(f"/invoices/new/?client={shop.client.pk}", data)
    page = follow(browser, response)
    lab, maker = ProductionOrder.objects.order_by("pk")
    assert (
        f"Created 2 production orders: Prints order #{lab.number} (Bay Lab), "
        f"Albums order #{maker.number} (Album Co)." in page
    )


def test_a_payment_says_plainly_why_no_order_was_made(web, shop):
    production_automation_update(moment="first_payment", action="create")
    invoice = new_invoice(shop, shop.digital)
    browser = web("staff")
    response = browser.post(
        f"/invoices/{invoice.pk}/payments/",
        {"date": today(), "amount": "10.00", "method": "cash", "reference": ""},
    )
    page = follow(browser, response)
    assert "Recorded a payment of $10.00." in page
    assert "Production orders were not created: No line of this invoice has a vendor" in page
    assert Invoice.objects.get(pk=invoice.pk).paid == Decimal("10.00")


# -- the API -------------------------------------------------------------------------------------


def test_everyone_reads_the_automation_from_the_api(api, shop):
    answer = api("readonly").get("production-automation")
    assert answer.status_code == 200
    assert answer.json() == {
        "moment": "never",
        "action": "create",
        "paid_percent": None,
        "invoice_status": None,
        "finished_invoice_status": None,
        "finished_sets_delivered_date": False,
        "finished_task_user": None,
        "updated_at": None,
    }


def test_a_manager_replaces_it(api, shop):
    body = {
        "moment": "invoice_status",
        "action": "prompt",
        "invoice_status": shop.ready.pk,
        "finished_invoice_status": shop.delivered.pk,
        "finished_sets_delivered_date": True,
        "finished_task_user": shop.manager.pk,
    }
    answer = api("manager").put("production-automation", body)
    assert answer.status_code == 200, answer.content
    got = answer.json()
    assert got["invoice_status"] == {"id": shop.ready.pk, "name": "Ready"}
    assert got["finished_task_user"] == {"id": shop.manager.pk, "name": "Manager"}
    assert production_automation().invoice_status == shop.ready
    assert api("readonly").get("production-automation").json() == got


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"moment": "paid_percent"}, "paid_percent", "Give the share of the total"),
        ({"moment": "paid_percent", "paid_percent": 150}, "paid_percent", "from 1 to 100"),
        ({"moment": "invoice_status"}, "invoice_status", "Choose the status"),
        ({"finished_invoice_status": 999999}, "finished_invoice_status", "There is no status"),
        ({"finished_task_user": 999999}, "finished_task_user", "There is no user"),
    ],
)
def test_bad_choices_are_422_beside_their_field_and_nothing_is_saved(
    api, shop, body, field, message
):
    answer = api("manager").put("production-automation", body)
    assert answer.status_code == 422
    got = answer.json()
    assert got["code"] == "invalid"
    assert message in got["fields"][field][0]
    assert not ProductionAutomation.objects.exists()


def test_a_status_of_another_cycle_is_refused_by_the_api(api, shop):
    body = {"moment": "invoice_status", "invoice_status": shop.print_steps[0].pk}
    answer = api("manager").put("production-automation", body)
    assert answer.status_code == 422
    assert "another cycle" in answer.json()["fields"]["invoice_status"][0]


def test_staff_may_not_replace_it(api, shop):
    answer = api("staff").put("production-automation", {"moment": "invoice_saved"})
    assert answer.status_code == 403
    assert not ProductionAutomation.objects.exists()


def test_invoice_and_payment_answers_carry_what_automation_did(api, shop):
    production_automation_update(moment="invoice_saved", action="create")
    caller = api("staff")
    created = caller.post(
        "invoices",
        {"client": shop.client.pk, "lines": [{"item": shop.print_item.pk, "price": "80.00"}]},
    )
    assert created.status_code == 201, created.content
    outcome = created.json()["production_automation"]
    order = ProductionOrder.objects.get()
    assert outcome == {
        "moment": "invoice_saved",
        "result": "created",
        "message": f"Created 1 production order: Prints order #{order.number} (Bay Lab).",
        "orders": [order.pk],
    }
    assert caller.get(f"invoices/{created.json()['id']}").json()["production_automation"] is None

    production_automation_update(moment="paid_in_full", action="prompt")
    invoice = new_invoice(shop)
    paid = caller.post(f"invoices/{invoice.pk}/payments", {"amount": "100.00"})
    assert paid.status_code == 201, paid.content
    assert paid.json()["production_automation"]["result"] == "prompted"
    assert caller.get(f"invoices/{invoice.pk}").json()["production_orders_prompt"] == "paid_in_full"
    listed = caller.get("invoices").json()["results"]
    assert {i["id"]: i["production_orders_prompt"] for i in listed}[invoice.pk] == "paid_in_full"
