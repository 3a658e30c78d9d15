"""Orders where the studio looks: the "Production" section of a client's, session's and
invoice's page, the tasks made from an order there, the all-orders list and its export, the
API's lists of a record's orders; and a late record's projected completion, never in the past.
"""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from darkroom.formats import format_date
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.order_list.filters import OrderListFilter
from darkroom.production.order_list.pages import iter_orders, order_list_page
from darkroom.production.selectors import orders_of
from darkroom.scheduling import BusinessCalendar
from darkroom.studio.calendar.cache import vendor_calendar
from darkroom.todos.services import task_create
from darkroom.tracking.models import CycleKind
from darkroom.tracking.services import record_start, status_change
from darkroom.tracking.standing import live_projection, remaining_days, standing
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)  # a Wednesday
DAY = dt.timedelta(days=1)
LIST = reverse("production:order-list")


def album_cycle() -> SimpleNamespace:
    album = f.cycle_with_statuses(
        name="Album orders",
        order_type=f.OrderTypeFactory(name="Album"),
        steps=[("Ordered", 2), ("At the lab", 2), ("Retouch", 2), ("Ready", 2, {"is_final": True})],
        final=None,
    )
    return SimpleNamespace(order_type=album.order_type, steps=album.statuses)


def proofs_cycle() -> list:
    return f.cycle_with_statuses(
        kind=CycleKind.PREPRODUCTION, name="Proofs", steps=[("Proofs sent", 4)], final="Proofs back"
    ).statuses


def finish(record, steps, by) -> None:
    fresh = type(record).objects.get(pk=record.pk)
    status_change(record=fresh, expected_version=fresh.version, updated_by=by, to_status=steps[-1])


def proof_order(session, vendor, number, by, *, on=TODAY) -> PreproductionOrder:
    order = PreproductionOrder.objects.create(
        session=session, vendor=vendor, number=number, order_date=on, entered_by=by
    )
    record_start(record=order, started_on=on, by=by)
    return PreproductionOrder.objects.get(pk=order.pk)


def production_order(album, invoice, vendor, number, by, *, on=TODAY, status=None):
    return f.started_production_order(
        order_type=album.order_type,
        status=status,
        started_on=on,
        by=by,
        invoice=invoice,
        vendor=vendor,
        number=number,
        order_date=on,
    )


@pytest.fixture
def world(frozen_today, people) -> SimpleNamespace:
    """Ann Lee: a session, its invoice promised in three days, a late album order (#5001)
    and a finished one (#5002), an open proof order (#P-7) and a finished one (#P-8)."""
    frozen_today(TODAY)
    staff = people["staff"]
    album, proofs = album_cycle(), proofs_cycle()
    lab = f.VendorFactory(name="Bay Lab")
    client = f.ClientFactory(first_name="Ann", last_name="Lee")
    session = f.SessionFactory(client=client)
    invoice = f.InvoiceFactory(
        client=client, session=session, approximate_delivery_date=TODAY + 3 * DAY
    )
    late = production_order(album, invoice, lab, "5001", staff, on=TODAY - 40 * DAY)
    done = production_order(
        album, invoice, lab, "5002", staff, on=TODAY - 30 * DAY, status=album.steps[-1]
    )
    open_proof = proof_order(session, lab, "P-7", staff)
    done_proof = proof_order(session, lab, "P-8", staff, on=TODAY - 20 * DAY)
    finish(done_proof, proofs, staff)
    return SimpleNamespace(
        staff=staff,
        album=album,
        proofs=proofs,
        lab=lab,
        client=client,
        session=session,
        invoice=invoice,
        late=ProductionOrder.objects.get(pk=late.pk),
        done=done,
        open_proof=open_proof,
        done_proof=done_proof,
    )


# The rule: a late record's projected completion -----------------------------------------------


def test_a_late_records_remaining_steps_count_from_today():
    week = BusinessCalendar({0, 1, 2, 3, 4})  # Monday to Friday
    due, projected = dt.date(2026, 11, 13), dt.date(2026, 11, 19)  # 4 business days after
    left = remaining_days(due=due, projected=projected, calendar=week)
    assert left == 4  # what the status engine stores beside the projection
    got = live_projection(due=due, projected=projected, remaining=4, today=TODAY, calendar=week)
    assert got == dt.date(2026, 12, 8)  # Wednesday + 4 business days
    # Not late: the stored projection stands.
    not_late = live_projection(
        due=TODAY, projected=projected, remaining=4, today=TODAY, calendar=week
    )
    assert not_late == projected
    # Today on a weekend: the remaining days start from Monday.
    saturday = dt.date(2026, 12, 5)
    assert live_projection(
        due=due, projected=due, remaining=0, today=saturday, calendar=week
    ) == dt.date(2026, 12, 7)
    late = standing(
        is_open=True,
        due=due,
        projected=projected,
        remaining=4,
        promised=TODAY + 3 * DAY,
        today=TODAY,
        calendar=week,
    )
    assert (late.overdue, late.at_risk, late.projected_completion) == (True, True, got)
    assert not standing(
        is_open=False,
        due=due,
        projected=projected,
        remaining=4,
        promised=due,
        today=TODAY,
        calendar=week,
    ).at_risk


def test_a_late_orders_page_shows_a_projection_from_today_and_at_risk(web, world):
    assert world.late.projected_completion < TODAY  # what the engine stored
    page = web("readonly").get(world.late.get_absolute_url()).content.decode()
    calendar = vendor_calendar(world.lab)
    left = calendar.business_days_between(
        world.late.status_due_date, world.late.projected_completion
    )
    expected = calendar.due(TODAY, left)
    assert f'data-testid="projected-completion">{format_date(expected)}' in page
    assert '<span class="due due-risk">at risk</span>' in page
    assert "due-overdue" in page
    # The hub says the same of it.
    hub = web("readonly").get(reverse("hub:list")).content.decode()
    assert f"{expected:%b} {expected.day}" in hub


# The section on a client's, session's and invoice's page ---------------------------------------


def rows_of(page: str) -> list[str]:
    return [
        part.split('"', 1)[0] for part in page.split('<tr data-order="')[1:]
    ]  # "production-12", in the page's order


def test_a_clients_page_shows_its_orders_open_then_finished_with_their_standing(web, world):
    page = web("readonly").get(world.client.get_absolute_url()).content.decode()
    assert 'id="production-heading">Production<' in page
    rows = rows_of(page)
    assert rows[:2] == [f"production-{world.late.pk}", f"preproduction-{world.open_proof.pk}"]
    assert set(rows[2:]) == {f"production-{world.done.pk}", f"preproduction-{world.done_proof.pk}"}
    open_part, finished_part = page.split('data-testid="finished-orders"')
    assert "#5001" in open_part and "#P-7" in open_part
    assert "#5002" in finished_part and "#P-8" in finished_part
    assert "#5002" not in open_part
    assert "Album" in open_part and "Proofs" in open_part and "Bay Lab" in open_part
    assert "due-overdue" in open_part and "due-risk" in open_part
    assert "Finished orders (2)" in page
    assert f'href="{LIST}?client={world.client.pk}"' in page


def test_a_sessions_and_an_invoices_page_show_their_orders(web, world):
    session = web("readonly").get(world.session.get_absolute_url()).content.decode()
    assert set(rows_of(session)) == {
        f"production-{world.late.pk}",
        f"production-{world.done.pk}",
        f"preproduction-{world.open_proof.pk}",
        f"preproduction-{world.done_proof.pk}",
    }
    invoice = web("readonly").get(world.invoice.get_absolute_url()).content.decode()
    assert set(rows_of(invoice)) == {
        f"production-{world.late.pk}",
        f"production-{world.done.pk}",
        f"preproduction-{world.open_proof.pk}",
        f"preproduction-{world.done_proof.pk}",
    }
    assert "due-risk" in invoice and 'data-testid="finished-orders"' in invoice


def test_someone_who_may_not_see_orders_gets_no_section(web, world, people):
    from django.contrib.auth.models import Permission

    role = people["readonly"].groups.first()
    role.permissions.remove(
        *Permission.objects.filter(codename__in=["view_productionorder", "view_preproductionorder"])
    )
    page = web("readonly").get(world.client.get_absolute_url()).content.decode()
    assert 'id="production-heading"' not in page and "#5001" not in page


@pytest.mark.parametrize("record", ["client", "session", "invoice"])
def test_a_records_page_reads_its_orders_in_a_fixed_number_of_queries(web, world, record):
    browser = web("readonly")
    url = getattr(world, record).get_absolute_url()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert browser.get(url).status_code == 200
        return len(captured)

    queries()  # the first page of a process reads the studio's lists, kept for the next ones
    few = queries()
    for n in range(6):
        vendor = f.VendorFactory(name=f"Lab {n}")
        order = production_order(world.album, world.invoice, vendor, f"60{n}", world.staff)
        if n % 2:
            finish(order, world.album.steps, world.staff)
        proof = proof_order(world.session, vendor, f"Q-{n}", world.staff)
        if n % 2:
            finish(proof, world.proofs, world.staff)
        task_create(
            by=world.staff,
            subject=f"Chase lab {n}",
            assigned_user=world.staff,
            links={"production_order": order},
        )
    assert len(rows_of(browser.get(url).content.decode())) == 16
    assert queries() == few


def test_the_orders_of_a_record_in_five_queries_at_most(world):
    with CaptureQueriesContext(connection) as captured:
        found = orders_of(client=world.client.pk)
    assert len(captured) <= 5
    assert [r.id for r in found.open] == [world.late.pk, world.open_proof.pk]
    assert {r.id for r in found.finished} == {world.done.pk, world.done_proof.pk}
    late = found.open[0].standing
    assert late.overdue and late.at_risk and late.projected_completion >= TODAY
    assert not found.finished[0].standing.at_risk
    only_open = orders_of(invoice=world.invoice, include_finished=False)
    assert only_open.finished == [] and len(only_open.open) == 2


# Tasks made from an order -----------------------------------------------------------------------


def test_a_task_made_from_an_order_shows_on_its_client_session_and_invoice(web, world):
    task_create(
        by=world.staff,
        subject="Ask Bay Lab about the album",
        assigned_user=world.staff,
        links={"production_order": world.late},
    )
    task_create(
        by=world.staff,
        subject="Chase the proofs",
        assigned_user=world.staff,
        links={"preproduction_order": world.open_proof},
    )
    staff = web("staff")
    for record in (world.client, world.session, world.invoice):
        page = staff.get(record.get_absolute_url()).content.decode()
        assert "Ask Bay Lab about the album" in page, record
        assert f'href="{world.late.get_absolute_url()}">{world.late}</a>' in page
    assert "Chase the proofs" in staff.get(world.client.get_absolute_url()).content.decode()
    assert "Chase the proofs" in staff.get(world.session.get_absolute_url()).content.decode()
    # An invoice's proofs belong to its session, not to it.
    assert "Chase the proofs" not in staff.get(world.invoice.get_absolute_url()).content.decode()
    # Another client's page does not show them.
    other = f.ClientFactory(first_name="Bo", last_name="Other")
    assert "Ask Bay Lab" not in staff.get(other.get_absolute_url()).content.decode()


# The all-orders list -----------------------------------------------------------------------------


def every_page(flt: OrderListFilter, limit: int) -> list[tuple[str, int]]:
    seen, cursor = [], None
    while True:
        page = order_list_page(flt, cursor=cursor, limit=limit)
        seen += [(r.kind, r.id) for r in page.rows]
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


def test_the_list_pages_through_both_kinds_without_repeats_or_gaps(world):
    for n in range(7):
        day = TODAY - n * DAY
        production_order(world.album, world.invoice, world.lab, f"70{n}", world.staff, on=day)
        proof_order(world.session, world.lab, f"R-{n}", world.staff, on=day)
    everything = every_page(OrderListFilter(), 100)
    assert len(everything) == 18
    for limit in (1, 2, 5):
        assert every_page(OrderListFilter(), limit) == everything
        oldest = every_page(OrderListFilter(sort="order_date"), limit)
        assert sorted(oldest) == sorted(everything)
    dates = [
        (ProductionOrder if k == "production" else PreproductionOrder).objects.get(pk=pk)
        for k, pk in everything
    ]
    assert [o.order_date for o in dates] == sorted((o.order_date for o in dates), reverse=True)


def test_the_list_filters(world):
    def found(**given) -> set[str]:
        return {r.order.number for r in order_list_page(OrderListFilter(**given)).rows}

    assert found() == {"5001", "5002", "P-7", "P-8"}
    assert found(state="open") == {"5001", "P-7"}
    assert found(state="finished") == {"5002", "P-8"}
    assert found(order_types=("proofs",)) == {"P-7", "P-8"}
    assert found(order_types=(world.album.order_type.pk,)) == {"5001", "5002"}
    assert found(statuses=(world.album.steps[-1].pk,)) == {"5002"}
    assert found(vendors=(f.VendorFactory().pk,)) == set()
    assert found(ordered_from=TODAY - 30 * DAY, ordered_to=TODAY - 20 * DAY) == {"5002", "P-8"}
    assert found(q="500") == {"5001", "5002"}  # a number is found by its start
    assert found(q="#5001") == {"5001"}
    assert found(q="50010") == set()
    assert found(q="5002") == {"5002"}
    assert found(q="P-7") == {"P-7"}
    assert found(q="ann le") == {"5001", "5002", "P-7", "P-8"}
    assert found(q="bo") == set()
    assert found(client=world.client.pk, state="open") == {"5001", "P-7"}


def test_the_list_page_reads_a_fixed_number_of_queries_and_searches(web, world):
    browser = web("readonly")

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert browser.get(url).status_code == 200
        return len(captured)

    few = queries(LIST)
    for n in range(8):
        vendor = f.VendorFactory(name=f"Lab {n}")
        production_order(world.album, world.invoice, vendor, f"80{n}", world.staff)
        proof_order(world.session, vendor, f"S-{n}", world.staff)
    assert queries(LIST) == few
    page = browser.get(f"{LIST}?q=5001").content.decode()
    assert rows_of(page) == [f"production-{world.late.pk}"]
    page = browser.get(f"{LIST}?q=Lee&state=finished").content.decode()
    assert set(rows_of(page)) == {
        f"production-{world.done.pk}",
        f"preproduction-{world.done_proof.pk}",
    }
    refused = browser.get(f"{LIST}?cursor=nonsense").content.decode()
    assert "This cursor is not one the list gave" in refused
    assert "This filter can't be used" in browser.get(f"{LIST}?status=x").content.decode()


def test_the_export_is_the_filtered_list_as_a_spreadsheet(web, world):
    response = web("readonly").get(f"{LIST}?state=all&sort=-order_date&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="orders-')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Order", "Kind", "Type", "Vendor")
    numbers = [row[0] for row in rows[1:]]
    assert set(numbers) == {"5001", "5002", "P-7", "P-8"}
    late = next(row for row in rows[1:] if row[0] == "5001")
    assert late[4] == "Ann Lee" and late[11] == "yes" and late[12] == "yes"
    assert late[9].date() >= TODAY  # the projection, never in the past


def test_the_export_walks_the_list_in_chunks(world):
    for n in range(3):
        production_order(world.album, world.invoice, world.lab, f"90{n}", world.staff)
    every = list(iter_orders(OrderListFilter()))
    assert len(every) == 7
    assert [(r.kind, r.id) for r in every] == every_page(OrderListFilter(), 2)


# The API -------------------------------------------------------------------------------------


def test_the_api_lists_an_invoices_and_a_sessions_orders(api, world):
    caller = api("readonly")
    got = caller.get(f"invoices/{world.invoice.pk}/production-orders")
    assert got.status_code == 200, got.content
    body = got.json()
    assert set(body) == {"results", "next_cursor"}
    assert [r["number"] for r in body["results"]] == ["5001"]  # open only by default
    late = body["results"][0]
    assert late["overdue"] and late["at_risk"] and late["projected_completion"] >= str(TODAY)
    assert late["client"] == {"id": world.client.pk, "name": "Ann Lee"}
    every = caller.get(f"invoices/{world.invoice.pk}/production-orders?include_finished=true")
    assert [r["number"] for r in every.json()["results"]] == ["5002", "5001"]
    assert every.json()["results"][0]["finished"] is True
    session = caller.get(f"sessions/{world.session.pk}/production-orders?include_finished=1")
    assert {r["number"] for r in session.json()["results"]} == {"5001", "5002"}
    proofs = caller.get(f"sessions/{world.session.pk}/preproduction-orders")
    assert [r["number"] for r in proofs.json()["results"]] == ["P-7"]
    assert caller.get("invoices/987654/production-orders").status_code == 404
    assert caller.get("sessions/987654/preproduction-orders").status_code == 404


def test_the_api_lists_every_order_with_the_pages_filters(api, world):
    caller = api("readonly")
    first = caller.get("orders?limit=3")
    assert first.status_code == 200
    body = first.json()
    assert len(body["results"]) == 3 and body["next_cursor"]
    rest = caller.get(f"orders?limit=3&cursor={body['next_cursor']}").json()
    numbers = [r["number"] for r in body["results"] + rest["results"]]
    assert sorted(numbers) == ["5001", "5002", "P-7", "P-8"] and rest["next_cursor"] is None
    assert {r["number"] for r in caller.get("orders?state=finished").json()["results"]} == {
        "5002",
        "P-8",
    }
    assert [r["number"] for r in caller.get("orders?q=P-7").json()["results"]] == ["P-7"]
    kinds = caller.get("orders?kind=preproduction").json()["results"]
    assert {r["kind"] for r in kinds} == {"preproduction"}
    bad = caller.get("orders?cursor=xyz")
    assert bad.status_code == 422 and bad.json()["code"]
    assert caller.get("orders?state=someday").status_code == 422
    assert api(None).get("orders").status_code == 401
