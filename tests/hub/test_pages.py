"""The hub list at /production/, its summary strip, its bulk status change and the home page's
"My work": real orders in real cycles, read back through the pages a person uses."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.services.creation import production_orders_create
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.models import CycleKind, StatusNote
from darkroom.tracking.services import record_start, status_add
from tests.factories import (
    ClientFactory,
    DepartmentFactory,
    InvoiceFactory,
    InvoiceLineFactory,
    OrderTypeFactory,
    SessionFactory,
    VendorFactory,
    cycle_with_statuses,
    started_production_order,
)

# The hub sorts and flags orders around today: today is pinned.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ordinary_day")]

HUB = "/production/"


def today() -> dt.date:
    return studio_preferences().today()


def production_order(
    line, by, *, on, vendor, last_name, number, promised=None, status=None
) -> ProductionOrder:
    invoice = InvoiceFactory(
        client=ClientFactory(first_name="Ann", last_name=last_name),
        approximate_delivery_date=promised,
    )
    return started_production_order(
        order_type=line.order_type,
        status=status,
        started_on=on,
        by=by,
        invoice=invoice,
        vendor=vendor,
        number=number,
    )


def proof_order(line, by, *, on, vendor, last_name, number) -> PreproductionOrder:
    session = SessionFactory(client=ClientFactory(first_name="Bo", last_name=last_name))
    order = PreproductionOrder.objects.create(
        session=session, vendor=vendor, order_date=on, entered_by=by, number=number
    )
    record_start(record=order, started_on=on, by=by)
    return PreproductionOrder.objects.get(pk=order.pk)


@pytest.fixture
def hub(people) -> SimpleNamespace:
    return hub_world(people)


def hub_world(people) -> SimpleNamespace:
    """Two vendors; a prints cycle and a proofs cycle; orders late, due today, at risk, on time
    and finished."""
    by = people["manager"]
    now = today()
    lab, framer = VendorFactory(name="Bay Lab"), VendorFactory(name="Frame Co")
    prints = cycle_with_statuses(
        name="Prints orders",
        order_type=OrderTypeFactory(name="Prints"),
        steps=[("Sent", 2), ("Printed", 2)],
    )
    proofs = cycle_with_statuses(
        kind=CycleKind.PREPRODUCTION,
        name="Proofs",
        steps=[("Proofing", 2), ("Proofs back", 1)],
        final="Chosen",
    )
    long_ago = now - dt.timedelta(days=30)
    late = production_order(
        prints, by, on=long_ago, vendor=lab, last_name="Lovelace", number="1001"
    )
    late_too = production_order(
        prints, by, on=long_ago, vendor=lab, last_name="Hopper", number="1002"
    )
    framed = production_order(
        prints, by, on=long_ago, vendor=framer, last_name="Curie", number="1003"
    )
    on_time = production_order(
        prints,
        by,
        on=now,
        vendor=lab,
        last_name="Noether",
        number="1004",
        promised=now + dt.timedelta(days=60),
    )
    risky = production_order(
        prints,
        by,
        on=now,
        vendor=framer,
        last_name="Franklin",
        number="1005",
        promised=now - dt.timedelta(days=1),
    )
    ProductionOrder.objects.filter(pk=risky.pk).update(status_due_date=now)  # due today
    done = production_order(
        prints, by, on=long_ago, vendor=lab, last_name="Done", number="1006", status=prints.final
    )
    proof = proof_order(proofs, by, on=long_ago, vendor=lab, last_name="Meitner", number="P7")
    return SimpleNamespace(
        by=by,
        lab=lab,
        framer=framer,
        prints=prints,
        proofs=proofs,
        late=late,
        late_too=late_too,
        framed=framed,
        on_time=on_time,
        risky=risky,
        done=done,
        proof=proof,
    )


def rows(response) -> list[str]:
    """The orders a hub page lists, as "kind-id", in its order."""
    return re.findall(r'data-testid="hub-row" data-order="([a-z]+-\d+)"', response.content.decode())


def key(order) -> str:
    kind = "production" if isinstance(order, ProductionOrder) else "preproduction"
    return f"{kind}-{order.pk}"


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# The list -------------------------------------------------------------------------------------


def test_the_hub_lists_every_open_order_of_both_kinds_with_its_flags_in_words(hub, web):
    response = web("readonly").get(HUB)
    assert response.status_code == 200
    listed = rows(response)
    assert set(listed) == {
        key(o) for o in (hub.late, hub.late_too, hub.framed, hub.on_time, hub.risky, hub.proof)
    }
    assert key(hub.done) not in listed  # finished: not on the hub
    assert listed[-1] == key(hub.on_time)  # by due date, the latest last
    page = response.content.decode()
    row = re.search(rf'data-order="{key(hub.late)}".*?</tr>', page, re.S).group(0)
    assert ">Overdue<" in row and "Lovelace" in row and "Bay Lab" in row and "#1001" in row
    assert f"{hub.late.invoice.pk:05d}" in row and "Sent" in row and "Prints" in row
    row = re.search(rf'data-order="{key(hub.risky)}".*?</tr>', page, re.S).group(0)
    assert ">Due today<" in row and ">At risk<" in row
    row = re.search(rf'data-order="{key(hub.on_time)}".*?</tr>', page, re.S).group(0)
    assert "Overdue" not in row and "At risk" not in row and "Due today" not in row
    row = re.search(rf'data-order="{key(hub.proof)}".*?</tr>', page, re.S).group(0)
    assert "Proof order" in row and "Meitner" in row and "Proofing" in row
    assert 'href="/production/scan/"' in page  # the scan station stays one click away
    assert f'href="{reverse("hub:board")}"' in page


def test_the_menu_and_the_order_pages_lead_to_the_hub(hub, web):
    assert reverse("hub:list") == HUB
    home = web("readonly").get("/").content.decode()
    assert re.search(r'<a href="/production/"\s*>Production</a>', home)
    order_page = web("readonly").get(hub.late.get_absolute_url()).content.decode()
    assert '<a href="/production/">Production</a>' in order_page


def test_a_filter_is_the_address_so_a_view_can_be_bookmarked(hub, web):
    address = f"{HUB}?vendor={hub.lab.pk}&flag=overdue"
    response = web("readonly").get(address)
    assert response.status_code == 200
    assert set(rows(response)) == {key(hub.late), key(hub.late_too), key(hub.proof)}
    page = response.content.decode()
    assert re.search(rf'<option value="{hub.lab.pk}" selected>Bay Lab</option>', page)
    assert '<option value="overdue" selected>Overdue</option>' in page
    # Sorting keeps the filter: the heading's link carries it.
    sort_link = re.search(r'<a href="(\?[^"]*sort=client[^"]*)"', page).group(1)
    assert f"vendor={hub.lab.pk}" in sort_link and "flag=overdue" in sort_link
    by_client = web("readonly").get(HUB + sort_link.replace("&amp;", "&"))
    assert rows(by_client) == [
        key(hub.late_too),
        key(hub.late),
        key(hub.proof),
    ]  # Hopper, Lovelace, Meitner
    # The same address, opened by someone else, shows the same orders.
    assert rows(web("staff").get(address)) == rows(response)


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("flag", "late", "Unknown flag “late”"),
        ("kind", "albums", "Unknown kind “albums”"),
        ("sort", "colour", "Unknown sort “colour”"),
        ("vendor", "abc", "is not a vendor id"),
        ("vendor", "987654", "There is no vendor 987654"),
        ("status", "-1", "is not a status id"),
        ("due_before", "2026-13-45", "is not a date"),
        ("due_before", "next friday", "is not a date"),
        ("cursor", "not-a-cursor", "This cursor is not one the hub gave"),
    ],
)
def test_a_filter_that_cant_be_read_is_said_and_nothing_is_listed(hub, web, name, value, said):
    response = web("readonly").get(HUB, {name: value})
    assert response.status_code == 400
    assert rows(response) == []
    assert said in text(response)
    assert "No orders are shown until this is fixed." in text(response)


def test_a_search_finds_a_client_or_an_order_number(hub, web):
    assert rows(web("readonly").get(HUB, {"q": "love"})) == [key(hub.late)]
    assert rows(web("readonly").get(HUB, {"q": "1003"})) == [key(hub.framed)]
    assert rows(web("readonly").get(HUB, {"kind": "preproduction"})) == [key(hub.proof)]
    assert rows(web("readonly").get(HUB, {"flag": "at_risk"})) == [key(hub.risky)]
    empty = web("readonly").get(HUB, {"q": "nobody-like-this"})
    assert empty.status_code == 200 and "No open order matches this filter." in text(empty)


def test_load_more_pages_on_by_cursor_without_repeating_an_order(hub, web, people):
    for n in range(50):
        production_order(
            hub.prints,
            hub.by,
            on=today(),
            vendor=hub.lab,
            last_name=f"Extra{n:02d}",
            number=f"2{n:03d}",
        )
    first = web("readonly").get(HUB)
    page = first.content.decode()
    assert len(rows(first)) == 50
    more = re.search(r'hx-get="(/production/rows/\?cursor=[^"]+)"', page).group(1)
    rest = web("readonly").get(more.replace("&amp;", "&"))
    assert rest.status_code == 200
    assert len(rows(rest)) == 6 and not set(rows(rest)) & set(rows(first))
    assert "Load more" not in rest.content.decode()
    assert "count" not in more  # the page never counts the history


def test_the_next_rows_with_a_broken_cursor_say_so(hub, web):
    response = web("readonly").get("/production/rows/", {"cursor": "%%%"})
    assert response.status_code == 200  # htmx shows it in the rows' place
    assert "This cursor is not one the hub gave" in text(response) and rows(response) == []


# The summary strip ---------------------------------------------------------------------------


def figure(response, name: str) -> int:
    found = re.search(
        rf'data-testid="summary-{name}".*?<strong[^>]*>(\d+)</strong>',
        response.content.decode(),
        re.S,
    )
    return int(found.group(1))


def test_the_summary_counts_the_filter_by_status_with_the_invoice_value(hub, web):
    for invoice, total in ((hub.late.invoice, "100.00"), (hub.late_too.invoice, "20.50")):
        type(invoice).objects.filter(pk=invoice.pk).update(total=total)
    response = web("readonly").get(HUB)
    assert figure(response, "open") == 6
    assert figure(response, "overdue") == 4  # three prints and the proof order
    assert figure(response, "due-today") == 1
    assert figure(response, "at-risk") == 1
    sent = hub.prints.statuses[0]
    strip = re.search(
        rf'data-testid="summary-status-{sent.pk}".*?</li>', response.content.decode(), re.S
    ).group(0)
    assert ">5<" in strip and "120.50" in strip
    lab = web("readonly").get(HUB, {"vendor": hub.lab.pk})
    assert figure(lab, "open") == 4 and figure(lab, "overdue") == 3
    partial = web("readonly").get("/production/summary/", {"vendor": hub.framer.pk})
    assert partial.status_code == 200 and figure(partial, "open") == 2
    refused = web("readonly").get("/production/summary/", {"flag": "soon"})
    assert refused.status_code == 200 and "Unknown flag" in text(refused)


# Bulk change ----------------------------------------------------------------------------------


def tick(*orders) -> list[str]:
    return [f"{key(o).replace('-', ':')}:{o.version}" for o in orders]


def statuses(*orders) -> list[Any]:
    return [type(o).objects.get(pk=o.pk).status for o in orders]


def history() -> list[Any]:
    return [
        list(ProductionOrder.objects.order_by("pk").values()),
        list(PreproductionOrder.objects.order_by("pk").values()),
        list(StatusNote.objects.order_by("pk").values()),
    ]


def test_bulk_advance_moves_production_and_proof_orders_each_by_its_cycle(hub, web):
    response = web("staff").post(
        "/production/bulk-status/",
        {
            "record": tick(hub.late, hub.proof),
            "to_status": "",
            "date_completed": today().isoformat(),
            "next": f"{HUB}?vendor={hub.lab.pk}",
        },
    )
    assert response.status_code == 200
    assert "Changed the status of 2 orders." in text(response)
    assert statuses(hub.late, hub.proof) == [hub.prints.statuses[1], hub.proofs.statuses[1]]
    assert statuses(hub.late_too) == [hub.prints.statuses[0]]
    assert f'href="{HUB}?vendor={hub.lab.pk}"' in response.content.decode()  # back to the view


def test_bulk_change_is_all_or_nothing_and_says_which_order_was_refused(hub, web):
    before = history()
    stale = f"production:{hub.late.pk}:{hub.late.version - 1}"
    response = web("staff").post(
        "/production/bulk-status/",
        {"record": [stale, *tick(hub.proof)], "date_completed": today().isoformat()},
    )
    assert response.status_code == 422
    said = text(response)
    assert "Nothing was changed." in said and "1 of 2 orders can't be changed" in said
    assert "Someone else changed it since you chose it" in said
    assert "Would have changed: Proofing → Proofs back" in said
    assert history() == before


def test_bulk_change_to_a_status_of_another_cycle_changes_nothing(hub, web):
    before = history()
    response = web("staff").post(
        "/production/bulk-status/",
        {
            "record": tick(hub.late, hub.proof),
            "to_status": hub.prints.statuses[1].pk,
            "date_completed": today().isoformat(),
        },
    )
    assert response.status_code == 422
    assert "It follows another cycle" in text(response)
    assert history() == before


@pytest.mark.parametrize(
    "record",
    [[], ["production:abc:1"], ["albums:1:1"], ["production:1"], ["production:99999999999:1"]],
)
def test_bulk_change_with_unreadable_choices_changes_nothing(hub, web, record):
    before = history()
    response = web("staff").post(
        "/production/bulk-status/", {"record": record, "date_completed": today().isoformat()}
    )
    assert response.status_code == 422
    assert "Nothing was changed." in text(response)
    assert history() == before


def test_bulk_change_with_a_date_after_today_changes_nothing(hub, web):
    before = history()
    response = web("staff").post(
        "/production/bulk-status/",
        {"record": tick(hub.late), "date_completed": (today() + dt.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 422
    assert history() == before


def test_readonly_people_see_the_hub_without_the_bulk_change(hub, web):
    page = web("readonly").get(HUB).content.decode()
    assert 'name="record"' not in page and "hub-bulk-form" not in page
    assert (
        web("readonly").post("/production/bulk-status/", {"record": tick(hub.late)}).status_code
        == 403
    )
    staff = web("staff").get(HUB).content.decode()
    assert f'value="production:{hub.late.pk}:{hub.late.version}"' in staff
    assert "Print work orders" in staff


# Query counts ---------------------------------------------------------------------------------


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_a_hub_page_runs_the_same_number_of_queries_for_3_rows_as_for_40(hub, web):
    lab = hub.lab.pk
    urls = [
        HUB,
        f"{HUB}?vendor={lab}&sort=client",
        f"/production/summary/?vendor={lab}",
        f"/production/rows/?vendor={lab}",
    ]
    staff = web("staff")
    for url in urls:  # the first page reads the studio's lists, kept for the next ones
        queries(staff, url)
    few = [queries(staff, url) for url in urls]
    for n in range(37):
        production_order(
            hub.prints,
            hub.by,
            on=today(),
            vendor=hub.lab,
            last_name=f"More{n:02d}",
            number=f"3{n:03d}",
            promised=today() + dt.timedelta(days=90),
        )
    assert len(rows(staff.get(HUB))) == 43
    many = [queries(staff, url) for url in urls]
    assert many == few


def test_a_hub_page_asks_the_database_what_only_a_page_can_know(hub, web):
    """Session, person, the lists stamp (read once per request) for the preferences, the role
    and permissions, the choices and the statuses' names (all kept while it stays:
    ``studio/kept.py``), the two
    tables' rows, the calendar's key (a late order's projected completion counts business days
    from today: ``tracking/standing.py``), the summary's totals and flags (kept too, by the
    running totals' stamp and the calendar's key, but not inside a test's transaction) and the
    bounds of its at-risk thresholds (``hub/selectors/at_risk.py``):
    fewer must not creep back up."""
    staff = web("staff")
    queries(staff, HUB)
    queries(staff, "/api/v1/hub/summary")
    # 16 before the lists were kept, 11 with the stamp read 4 times, 8 before at risk was exact
    assert queries(staff, HUB) == 10
    assert queries(staff, "/api/v1/hub/summary") == 8  # 8 with the stamp read 3 times, then 6


def test_a_renamed_vendor_or_a_new_status_shows_on_the_next_hub_page(hub, web):
    from darkroom.record_writes import record_save

    staff = web("staff")
    assert "Lakeside Lab" not in staff.get(HUB).content.decode()
    hub.lab.name = "Lakeside Lab"
    record_save(record=hub.lab)
    status_add(cycle=hub.prints.cycle, description="Varnishing", default_duration=1)
    page = staff.get(HUB).content.decode()
    assert "Lakeside Lab" in page
    assert ">Varnishing</option>" in page


def test_a_role_taken_away_is_refused_on_the_next_request(hub, web, people):
    from darkroom.studio.roles import Role
    from darkroom.studio.services import user_set_role

    staff = web("staff")
    assert staff.get(HUB).status_code == 200
    user_set_role(user=people["staff"], role=Role.READONLY)
    assert "Change status" not in staff.get(HUB).content.decode()
    assert staff.post("/production/bulk-status/", {"record": "production:1:1"}).status_code == 403


# My work on the home page ----------------------------------------------------------------------


def test_my_work_lists_the_orders_of_me_and_my_departments_overdue_first(hub, web, people):
    staff = people["staff"]
    retouch = DepartmentFactory(name="Retouching")
    retouch.members.add(staff)
    ProductionOrder.objects.filter(pk=hub.on_time.pk).update(status_user=staff)
    ProductionOrder.objects.filter(pk=hub.late.pk).update(status_department=retouch)
    PreproductionOrder.objects.filter(pk=hub.proof.pk).update(status_user=people["manager"])
    page = web("staff").get("/").content.decode()
    panel = re.search(r'<section class="panel my-work".*?</section>', page, re.S).group(0)
    listed = re.findall(r'data-testid="my-work-row".*?#(\d+)', panel, re.S)
    assert listed == ["1001", "1004"]  # the overdue one first
    assert "Overdue" in panel
    assert f'href="/production/?user={staff.pk}"' in panel
    assert f'href="/production/?department={retouch.pk}"' in panel
    assert "My tasks" in page  # beside it, as before
    nothing = web("manager").get("/").content.decode()
    assert "#1001" not in re.search(
        r'<section class="panel my-work".*?</section>', nothing, re.S
    ).group(0)


def test_my_work_rows_of_two_vendors_orders_are_told_apart(hub, web, people):
    """Each vendor once numbered its orders from 1: two vendors' orders made at once showed as
    two identical "#1" rows in My work. Every order now has the studio's own number."""
    staff = people["staff"]
    invoice = InvoiceLineFactory().invoice
    made = [
        production_orders_create(
            invoice=invoice,
            by=staff,
            vendor=VendorFactory(name=name, auto_assigns_numbers=True),
            details="manual",
            order_type=hub.prints.order_type,
            confirm_duplicate=True,
        ).orders[0]
        for name in ("North Lab", "South Lab")
    ]
    ProductionOrder.objects.filter(pk__in=[o.pk for o in made]).update(status_user=staff)
    page = web("staff").get("/").content.decode()
    panel = re.search(r'<section class="panel my-work".*?</section>', page, re.S).group(0)
    listed = re.findall(r'data-testid="my-work-row".*?#(\d+)', panel, re.S)
    assert sorted(listed) == sorted(o.number for o in made)
    assert len(set(listed)) == 2


def test_a_late_order_whose_promise_has_passed_is_counted_and_found_at_risk(hub, web):
    """Its stored projection was within the promise when it was last moved, but it is late and
    the promise is behind it: its row says "At risk", and so do the filter and the count."""
    now = today()
    ProductionOrder.objects.filter(pk=hub.late.pk).update(
        promised_date=now - dt.timedelta(days=2),
        projected_completion=now - dt.timedelta(days=3),
    )
    readonly = web("readonly")
    assert rows(readonly.get(HUB, {"flag": "at_risk"})) == [key(hub.late), key(hub.risky)]
    assert readonly.get("/api/v1/hub/summary").json()["at_risk"] == 2
