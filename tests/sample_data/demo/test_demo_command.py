"""``darkroom demo``: a believable studio, loaded once, with a login that works."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from django.test import Client as Browser

from darkroom.catalog.models import (
    PriceListItem,
    PriorityCode,
    ProductionOrderType,
    RenderProfile,
    ReorderReason,
    Vendor,
    VendorProduct,
)
from darkroom.clients.models import Client, Invoice, InvoiceLine, Payment, Session, SessionType
from darkroom.messaging.addresses import mobile_number
from darkroom.messaging.models import Firing, Message, MessageTemplate, Trigger
from darkroom.messaging.placeholders import check_text
from darkroom.messaging.selectors import review_count
from darkroom.production.models import PreproductionOrder, ProductionOrder, ProductionOrderDetail
from darkroom.studio.models import Department
from darkroom.studio.roles import Role, role_of
from darkroom.studio.selectors import studio_preferences
from darkroom.todos.models import Task
from darkroom.tracking.models import Cycle, Status, StatusNote
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
LOGIN = re.compile(r"Log in at (\S+) as (\S+) / (\S+)")


def logs_in(username: str, password: str) -> bool:
    """Through the login page, as a person would; then the home page opens."""
    browser = Browser()
    answer = browser.post("/login/", {"username": username, "password": password})
    return answer.status_code == 302 and browser.get("/").status_code == 200


EVERY_KIND = (
    Department,
    User,
    Client,
    SessionType,
    Session,
    Vendor,
    VendorProduct,
    RenderProfile,
    ProductionOrderType,
    ReorderReason,
    PriorityCode,
    PriceListItem,
    Invoice,
    InvoiceLine,
    Payment,
    Cycle,
    Status,
    ProductionOrder,
    ProductionOrderDetail,
    PreproductionOrder,
    StatusNote,
    Firing,
    Message,
    Task,
)


def demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in EVERY_KIND}


def test_demo_loads_a_believable_studio():
    output = demo()

    prefs = studio_preferences()
    assert prefs.name == "Lumen & Grain Photography"
    assert prefs.time_zone == "America/Chicago"
    assert prefs.work_day_names == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    assert prefs.due_date_mode == "forward"
    today = prefs.today()

    assert Department.objects.count() == 3
    assert User.objects.count() == 6
    roles = sorted(role_of(user) for user in User.objects.all())
    assert roles.count(Role.MANAGER) == 1 and roles.count(Role.READONLY) == 1
    assert Department.objects.annotate(n=Count("members")).filter(n=0).count() == 0

    assert Client.objects.count() == 40
    assert Client.objects.filter(email="").exists() and Client.objects.filter(mobile="").exists()
    assert Client.objects.filter(do_not_market=True).exists()
    assert Client.objects.filter(do_not_call=True).exists()
    assert Client.objects.exclude(lead_source="").count() == 40
    texts = Client.objects.filter(sms_consent=True)
    assert texts.exists() and all(mobile_number(c.mobile, prefs.country) for c in texts)
    assert (prefs.country, prefs.opens_at, prefs.closes_at) == ("US", dt.time(9), dt.time(18))

    assert SessionType.objects.count() == 6
    assert Session.objects.count() == 60
    assert not Session.objects.filter(photographer=None).exists()
    assert Session.objects.filter(date__lt=today).count() > 50

    assert Vendor.objects.count() == 8
    assert Vendor.objects.filter(is_in_house=True).count() == 2
    assert Vendor.objects.filter(auto_assigns_numbers=True).exists()
    assert Vendor.objects.exclude(default_order_type=None).count() >= 6
    assert ProductionOrderType.objects.count() == 3
    assert RenderProfile.objects.exists() and VendorProduct.objects.count() >= 2
    assert ReorderReason.objects.filter(is_non_chargeable=True).exists()
    assert ReorderReason.objects.filter(is_non_chargeable=False).exists()
    assert list(PriorityCode.objects.values_list("code", flat=True)) == ["Rush", "Normal", "Low"]

    items = PriceListItem.objects.all()
    assert items.count() == 30
    assert all(len(item.identifier) <= 12 for item in items)
    assert items.filter(preferred_vendor=None).exists()
    assert items.exclude(render_profile=None).exists()

    # Triggers on the sample cycles, and what they did on first login: items waiting for
    # review, messages in the outbox (written through the worker's tick), reminders scheduled.
    assert MessageTemplate.objects.count() == 4 and Trigger.objects.count() == 5
    assert all(
        not check_text(t.subject) and not check_text(t.body) for t in MessageTemplate.objects.all()
    )
    assert {t.action for t in Trigger.objects.all()} == {"email", "sms_else_email", "call", "task"}
    review = Firing.objects.filter(state="in_review")
    assert review.count() == 3 and review_count() == 3
    assert {f.trigger.name for f in review} == {"Ready for pickup: email the client"}
    assert Message.objects.filter(channel="email", state="queued").count() >= 1
    assert Firing.objects.filter(state="processed").exists()
    assert Firing.objects.filter(state="scheduled", trigger__when="after_due").count() == 3

    invoices = Invoice.objects.annotate(n=Count("lines"))
    assert invoices.count() == 80
    assert set(invoices.values_list("n", flat=True)) <= {1, 2, 3, 4, 5}
    assert not invoices.filter(total=0).exists()
    assert invoices.filter(paid=0).exists()
    assert invoices.filter(paid__gt=0, paid__lt=F("total")).exists()
    assert invoices.filter(paid=F("total")).count() >= 30
    assert invoices.filter(approximate_delivery_date__gt=today).count() >= 10
    assert invoices.exclude(delivered_date=None).count() >= 20
    lines = InvoiceLine.objects.all()
    assert lines.exclude(vendor_override=None).exists()
    assert lines.filter(vendor_override=None, item__preferred_vendor=None).exists()

    cycles = {
        c.name: list(c.statuses.values_list("description", flat=True)) for c in Cycle.objects.all()
    }
    assert cycles["Lab Print Order"] == [
        "Ordered",
        "Sent to Lab",
        "Received from Lab",
        "Quality Check",
        "Ready for Pickup",
    ]
    assert set(cycles) == {
        "Sessions",
        "Invoices",
        "Proofing",
        "Lab Print Order",
        "Album Order",
        "Retouch Only",
        "Tasks",
    }
    assert (
        Status.objects.filter(is_initial=True).count()
        == Status.objects.filter(is_final=True).count()
        == 7
    )

    assert "Loaded the demo studio “Lumen & Grain Photography”" in output
    assert "The team's password is also “darkroom-demo”" in output
    url, username, password = LOGIN.search(output).groups()
    assert (url, username, password) == ("http://127.0.0.1:8000/", "manager", "darkroom-demo")
    assert logs_in(username, password)


def test_demo_twice_changes_nothing():
    demo("--login-password", "lumen-and-grain", "--url", "http://127.0.0.1:8765/")
    loaded = counts()

    again = demo("--login-password", "lumen-and-grain", "--url", "http://127.0.0.1:8765/")

    assert counts() == loaded
    assert again.startswith("The demo studio is already loaded.")
    assert LOGIN.search(again).groups() == (
        "http://127.0.0.1:8765/",
        "manager",
        "lumen-and-grain",
    )
    assert logs_in("manager", "lumen-and-grain")


def test_demo_keeps_an_existing_manager(people):
    output = demo()

    assert "manager / " not in output
    assert "has a manager already: log in at http://127.0.0.1:8000/ as manager" in output
    assert User.objects.count() == 3 + 5  # the fixture's people and the demo's team
    assert people["manager"].check_password("correct-horse-battery")
    assert logs_in("maya", "darkroom-demo")
    assert Invoice.objects.count() == 80


def test_demo_leaves_a_studio_in_use_alone():
    ClientFactory()
    before = counts()

    output = demo()

    assert "already has its own clients" in output
    assert "Nothing was changed" in output
    assert counts() == before
    assert studio_preferences().name != "Lumen & Grain Photography"


def test_demo_refuses_a_weak_login_password():
    before = counts()
    with pytest.raises(CommandError, match=r"too short.*Nothing was loaded"):
        demo("--login-password", "dark")
    assert counts() == before
