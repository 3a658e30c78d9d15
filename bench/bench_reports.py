"""Benchmark the status reports' reads on the hub's seeded studio of a million production orders.

Why: the order status report over all open orders is what a manager opens every morning, and it
must answer as fast with ten years of finished orders behind it as on the first day. The target:
the totals per status and the first page (50 rows) of all open orders (about 50,000 of a million)
in at most 200 ms (median), on SQLite; any filter and the next page no slower. Beside each figure:
the same SQL sent through the database driver directly (no Python rows), the floor the report's own
code can't go below; and how long reading every row for an export takes. Then the Excel file of
every open order, written as *Export to Excel* writes it (target: 10 s, median), and the most
memory Python holds meanwhile beside that of one status's file (flat: the rows go to a file on disk
as they are read). Then the reorders report over the last twelve months (target: 1 s, median), on
the same studio with one order in fifty made a reorder for the time of the measurement; and the
profit analysis over the last twelve months (target: 1 s, median), with either cost source and each
grouping; the workload report over the last fifty-two weeks (target: 1 s, median), of production
orders, of the busiest order type, of proof orders, and over five years; and time in status over
the last twelve months (target: 1 s, median) per cycle, vendor and order type, read from the steps-
left summary the triggers keep (once checked against the notes themselves, a scan of all history
whose time is printed beside it); and the vendor performance report over the last twelve months
(target: 1 s, median).

Inputs: the studio ``bench_hub`` seeds and keeps (``darkroom.sample_data.scale.seed_scale``,
``HUB_BENCH_ORDERS`` / ``HUB_BENCH_PG_ORDERS`` orders, 5 % open), reused from its cache (seeded
first when missing, on PostgreSQL as ``bench_hub`` seeds it). Filters' values (a status, a vendor,
a person) are the busiest among the open orders. A smoke run (``throwaway.SMOKE``) seeds a small
studio in throwaway databases, kept nowhere.
"""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import bench_hub
import throwaway

REPORT_MS = 200.0
EXCEL_S = 10.0  # the Excel file of every open order (about 50,000)
EXCEL_REPEATS = throwaway.size(3, smoke=1)
REORDERS_MS = 1000.0  # the reorders report over twelve months: figures and its first page
PROFIT_MS = 1000.0  # the profit analysis over twelve months: figures and its first page
WORKLOAD_MS = 1000.0  # the workload report over fifty-two weeks
TIME_IN_STATUS_MS = 1000.0  # time in status over twelve months: the figures of a cycle
VENDORS_MS = 1000.0  # the vendor performance report over twelve months: all its figures
REORDER_EVERY = 50  # the seeded studio has no reorders: one order in 50 is made one (2 %)
PG_CHILD = "--reports-measure"


def measure() -> None:
    """Measure on the database this process points at and print the table."""
    from darkroom.production.models import ProductionOrder
    from darkroom.reports.selectors.status_report import (
        INVOICES,
        ORDERS,
        PREPRODUCTION,
        SESSIONS,
        StatusReportFilter,
        report_page,
        report_rows,
        status_totals,
    )
    from darkroom.studio.selectors import studio_preferences

    today = studio_preferences().today()
    open_orders = ProductionOrder.objects.filter(completed_date__isnull=True).count()
    total = ProductionOrder.objects.order_by().count()
    print(f"{throwaway.engine()}: {total:,} production orders ({open_orders:,} open); {today}")
    cases: list[tuple[str, StatusReportFilter]] = [
        ("all open, by number", StatusReportFilter()),
        ("all open, by due date", StatusReportFilter(sort="due")),
        ("all open, by client", StatusReportFilter(sort="client")),
        ("busiest status", StatusReportFilter(status=bench_hub.busiest("status_id"))),
        ("busiest vendor", StatusReportFilter(vendor=bench_hub.busiest("vendor_id"))),
        ("busiest person", StatusReportFilter(user=bench_hub.busiest("status_user_id"))),
        ("due by today + 3", StatusReportFilter(due_by=today + dt.timedelta(days=3))),
        ("proof orders", StatusReportFilter(stage=PREPRODUCTION)),
        ("sessions", StatusReportFilter(report=SESSIONS)),
        ("invoices, by client", StatusReportFilter(report=INVOICES, sort="client")),
    ]
    figures = Figures()
    add = figures.add

    def report(f: StatusReportFilter, cursor: str | None = None) -> Any:
        status_totals(f)
        return report_page(f, cursor=cursor)

    for label, f in cases:
        first = add(f"totals + first 50: {label}", lambda f=f: report(f), REPORT_MS)
        if first.next_cursor:
            add(
                f"next 50: {label}",
                lambda f=f, c=first.next_cursor: report_page(f, cursor=c),
                REPORT_MS,
            )
    count = 0

    def export() -> None:
        nonlocal count
        count = sum(1 for _ in report_rows(StatusReportFilter(report=ORDERS)))

    add("every row, for an export: all open orders", export, None)
    print(f"  medians of {bench_hub.REPEATS} runs; 'raw' = the same SQL through the driver")
    missed = figures.print()
    print(f"  (the export read {count:,} rows)")
    assert (
        count
        == open_orders
        - ProductionOrder.objects.filter(completed_date__isnull=True, status__isnull=True).count()
    ), "the export read another number of rows than there are open orders"
    for label in missed:
        print(f"  plan of {label}:")
        for plan in bench_hub.explain(figures.statements(label)):
            print(f"    {plan[:400]}")
    measure_excel(StatusReportFilter(), StatusReportFilter(status=bench_hub.busiest("status_id")))
    measure_reorders()
    measure_profit()
    measure_workload()
    measure_time_in_status()
    measure_vendor_performance()


def excel_file(f: Any) -> tuple[float, int]:
    """The order status report's Excel file for ``f``, written as the page's *Export to Excel*
    writes it and read to its end: the seconds it took, and its size."""
    from darkroom.reports.documents.status import report_xlsx
    from darkroom.reports.registry import STATUS_REPORTS

    started = time.perf_counter()
    response = report_xlsx(STATUS_REPORTS["order-status"], f, "bench")
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - started
    response.close()
    return seconds, size


def excel_memory(f: Any) -> int:
    """The most memory Python held while writing ``f``'s Excel file (``tracemalloc``, which
    slows the writing down: measured apart from its time)."""
    tracemalloc.start()
    try:
        excel_file(f)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure_excel(every_open: Any, one_status: Any) -> None:
    """The Excel file of every open order (target: 10 s, median of ``EXCEL_REPEATS``) and what
    memory it needs beside the file of one status's orders: flat, whatever the rows' number."""
    runs = [excel_file(every_open) for _ in range(EXCEL_REPEATS)]
    seconds = statistics.median(r[0] for r in runs)
    size = runs[0][1]
    verdict = "" if throwaway.SMOKE else ("PASS" if seconds <= EXCEL_S else "MISS")
    print(
        f"  Excel file of every open order: {seconds:.2f} s (median of {EXCEL_REPEATS}), "
        f"{size / 1e6:.1f} MB  <= {EXCEL_S:g} s  {verdict}"
    )
    whole, part = excel_memory(every_open), excel_memory(one_status)
    print(
        f"  most memory while writing it: {whole / 1e6:.1f} MB; for one status's orders: "
        f"{part / 1e6:.1f} MB"
    )
    if verdict == "MISS":
        print("  MISSED: the Excel file of every open order")


class Figures:
    """One report's measured cases, each a median beside the same SQL sent through the driver
    (the floor), with its target: what every report's measurement prints the same way."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float, float | None, list[str]]] = []

    def add(self, label: str, run: Callable[[], Any], target: float | None) -> Any:
        """Measure ``run`` and its SQL alone; the answer of one run, for the next case."""
        result, statements = bench_hub.captured(run)
        raw = bench_hub.median_ms(bench_hub.raw_runner(statements))
        self.rows.append((label, bench_hub.median_ms(run), raw, target, statements))
        return result

    def print(self) -> list[str]:
        """Print the table; the labels of the cases that missed their target."""
        print(f"  {'':<48} {'report ms':>9} {'raw ms':>8} {'target':>8}  result  queries")
        missed = []
        for label, ms, raw_ms, target, statements in self.rows:
            if target is None or throwaway.SMOKE:
                verdict, shown = "", ""
            else:
                verdict, shown = ("PASS" if ms <= target else "MISS"), f"<= {target:g}"
            queries = len(statements)
            print(f"  {label:<48} {ms:9.2f} {raw_ms:8.2f} {shown:>8}  {verdict:<6}  {queries}")
            if verdict == "MISS":
                missed.append(label)
        return missed

    def add_paged(
        self,
        name: str,
        cases: list[tuple[str, Any]],
        *,
        totals: Callable[[Any], Any],
        page: Callable[..., Any],
        rows: Callable[[Any], Iterable[Any]],
        year: Any,
        target: float,
        export_label: str,
    ) -> int:
        """A paged report's cases as a person meets them: for each filter its figures and
        first page, for twelve months the next page too, then every row of twelve months for
        an export (untargeted). The number of rows the export read."""
        for label, f in cases:

            def first_page(f: Any = f) -> Any:
                totals(f)
                return page(f, cursor=None)

            first = self.add(f"{name} + first 50: {label}", first_page, target)
            if first.next_cursor and f is year:
                self.add(
                    f"{name} next 50: {label}",
                    lambda f=f, c=first.next_cursor: page(f, cursor=c),
                    target,
                )
        count = 0

        def export() -> None:
            nonlocal count
            count = sum(1 for _ in rows(year))

        self.add(f"{name}, {export_label} for an export: twelve months", export, None)
        return count

    def statements(self, label: str) -> list[str]:
        """The SQL the case ``label`` sent."""
        return next(row[4] for row in self.rows if row[0] == label)


def measure_reorders() -> None:
    """The reorders report on the same studio. Its seed has no reorders, so one order in
    ``REORDER_EVERY`` is made a reorder of the order before it (reasons in turn, one of three
    the vendor's fault; one in seven without a cost) inside a transaction rolled back at the
    end: the seeded database stays as ``bench_hub`` left it for the other benchmarks.

    Inside that transaction PostgreSQL can't vacuum, so it may read the reorders by the
    ``reorder_of`` key's index and filter the dates; once vacuumed and analysed (a studio's real
    state) it answers from ``po_reorder_date_idx`` alone (an index-only scan of the range),
    as SQLite does here."""
    from django.db import connection, transaction
    from django.db.models import Count

    from darkroom.catalog.models import ReorderReason
    from darkroom.production.models import ProductionOrder
    from darkroom.reports.forms.common import default_start
    from darkroom.reports.selectors.reorders import (
        ReordersFilter,
        reorder_page,
        reorder_rows,
        reorder_totals,
    )
    from darkroom.studio.selectors import studio_preferences

    today = studio_preferences().today()
    with transaction.atomic():
        reasons = [
            ReorderReason.objects.create(description=f"Bench reason {i}", is_non_chargeable=i == 0)
            for i in range(3)
        ]
        table = ProductionOrder._meta.db_table
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET reorder_of_id = id - 1,"
                " reorder_reason_id = CASE WHEN id %% 3 = 0 THEN %s WHEN id %% 3 = 1 THEN %s"
                " ELSE %s END,"
                " vendor_invoice_amount = CASE WHEN id %% 7 = 0 THEN NULL"
                " ELSE vendor_invoice_amount END"
                f" WHERE id %% {REORDER_EVERY} = 0 AND id > 1",
                [r.pk for r in reasons],
            )
            marked = cursor.rowcount
            cursor.execute("ANALYZE")
        print(
            f"  reorders: {marked:,} orders made reorders in "
            f"{time.perf_counter() - started:.1f} s (rolled back after)"
        )
        year = ReordersFilter(start=default_start(today), end=today)
        busiest_vendor = (
            ProductionOrder.objects.filter(
                reorder_of__isnull=False, order_date__range=(year.start, year.end)
            )
            .values("vendor_id")
            .annotate(n=Count("id"))
            .order_by("-n", "vendor_id")
            .values_list("vendor_id", flat=True)
            .first()
        )
        cases = [
            ("twelve months", year),
            ("12 months, busiest vendor", replace(year, vendor=busiest_vendor)),
            ("12 months, one reason", replace(year, reason=reasons[0].pk)),
            ("ten years", replace(year, start=today.replace(year=today.year - 10))),
        ]
        figures = Figures()
        count = figures.add_paged(
            "reorders",
            cases,
            totals=reorder_totals,
            page=reorder_page,
            rows=reorder_rows,
            year=year,
            target=REORDERS_MS,
            export_label="every row",
        )
        missed = figures.print()
        expected = ProductionOrder.objects.filter(
            reorder_of__isnull=False, order_date__range=(year.start, year.end)
        ).count()
        print(f"  (the reorders export read {count:,} rows of {year.start} – {year.end})")
        assert count == expected, "the reorders export read another number of rows"
        assert reorder_totals(year).all.count == expected, "the figures count another number"
        totals_sql = next(s for s in figures.rows[0][4] if "GROUP BY" in s)
        print("  plan of the reorders figures (twelve months):")
        for plan in bench_hub.explain([totals_sql]):
            print(f"    {plan[:400]}")
        for label in missed:
            print(f"  MISSED: {label}")
        transaction.set_rollback(True)


def measure_profit() -> None:
    """The profit analysis on the same studio: twelve months of invoices (read through
    ``invoice_date_idx``), by each grouping and with either cost source, beside the raw-driver
    floor; then the plan of its revenue query."""
    from django.db.models import Count

    from darkroom.clients.models import Invoice
    from darkroom.reports.forms.common import default_start
    from darkroom.reports.selectors.profit import (
        LEAD_SOURCE,
        PHOTOGRAPHER,
        SESSION_TYPE,
        ProfitFilter,
        profit_page,
        profit_rows,
        profit_totals,
    )
    from darkroom.studio.models import ProfitCosts
    from darkroom.studio.selectors import studio_preferences

    today = studio_preferences().today()
    year = ProfitFilter(start=default_start(today), end=today)
    invoices = Invoice.objects.filter(invoice_date__range=(year.start, year.end))
    busiest_client = (
        invoices.values("client_id")
        .annotate(n=Count("id"))
        .order_by("-n", "client_id")
        .values_list("client_id", flat=True)
        .first()
    )
    cases = [
        ("twelve months, by session type", year),
        ("12 months, by photographer", replace(year, group_by=PHOTOGRAPHER)),
        ("12 months, by lead source", replace(year, group_by=LEAD_SOURCE)),
        ("12 months, vendor invoices", replace(year, costs=ProfitCosts.VENDOR_INVOICES)),
        ("12 months, busiest client", replace(year, client=busiest_client)),
    ]
    figures = Figures()
    count = figures.add_paged(
        "profit",
        cases,
        totals=profit_totals,
        page=profit_page,
        rows=profit_rows,
        year=year,
        target=PROFIT_MS,
        export_label="every session",
    )
    missed = figures.print()
    totals = profit_totals(year)
    print(
        f"  (the profit export read {count:,} sessions of {year.start} – {year.end}; "
        f"{totals.all.invoices:,} invoices)"
    )
    assert totals.all.invoices == invoices.count(), "the figures count another number"
    assert count == totals.all.sessions, "the export read another number of sessions"
    assert year.group_by == SESSION_TYPE
    revenue_sql = next(s for s in figures.rows[0][4] if "COUNT(DISTINCT" in s)
    print("  plan of the profit figures' revenue (twelve months):")
    for plan in bench_hub.explain([revenue_sql]):
        print(f"    {plan[:400]}")
    for label in missed:
        print(f"  MISSED: {label}")


def measure_workload() -> None:
    """The workload report on the same studio: orders entered and finished per week (through
    the orders' indexes) and the backlog per status (the status history per status and day, kept
    by triggers as the seeder wrote the history), beside the raw-driver floor. Then a check
    against the orders themselves: the backlog at the end of this week is, per status, the open
    orders in it now; and the plans of its queries."""
    from django.db.models import Count

    from darkroom.production.models import ProductionOrder
    from darkroom.reports.forms.workload import parse_workload
    from darkroom.reports.models import StatusFlow
    from darkroom.reports.selectors.status_report import PREPRODUCTION
    from darkroom.reports.selectors.workload import first_weekday, workload
    from darkroom.studio.selectors import studio_preferences
    from darkroom.tracking.models import StatusNote

    studio = studio_preferences()
    year = parse_workload({}, today=studio.today(), weekday=first_weekday(studio.work_days))
    busiest_type = (
        ProductionOrder.objects.filter(order_date__range=(year.start, year.end))
        .values("order_type_id")
        .annotate(n=Count("id"))
        .order_by("-n", "order_type_id")
        .values_list("order_type_id", flat=True)
        .first()
    )
    cases = [
        ("52 weeks, production orders", year),
        ("52 weeks, the busiest order type", replace(year, order_type=busiest_type)),
        ("52 weeks, proof orders", replace(year, stage=PREPRODUCTION)),
        (
            "five years, production orders",
            replace(year, start=year.end + dt.timedelta(days=1, weeks=-5 * 52)),
        ),
    ]
    figures = Figures()
    for label, f in cases:
        target = WORKLOAD_MS if label.startswith("52") else None
        figures.add(f"workload: {label}", lambda f=f: workload(f), target)
    missed = figures.print()
    totals = workload(year)
    print(
        f"  (the summary holds {StatusFlow.objects.count():,} rows for "
        f"{StatusNote.objects.count():,} status notes; 52 weeks: {totals.entered:,} entered, "
        f"{totals.finished:,} finished, {totals.weeks[-1].open:,} open at the end)"
    )
    open_now = dict(
        ProductionOrder.objects.filter(completed_date__isnull=True, status__isnull=False)
        .exclude(status__is_final=True)
        .values_list("status__description")
        .annotate(n=Count("id"))
        .values_list("status__description", "n")
    )
    counted: dict[str, int] = {}
    for name, n in open_now.items():
        key = " ".join(name.split()).casefold()
        counted[key] = counted.get(key, 0) + n
    backlog = {k: n for k, n in totals.weeks[-1].backlog.items() if n}
    assert backlog == counted, f"backlog {backlog} is not the open orders {counted}"
    print("  plans of the workload's queries (52 weeks):")
    for plan in bench_hub.explain(figures.rows[0][4]):
        print(f"    {plan[:400]}")
    for label in missed:
        print(f"  MISSED: {label}")


def measure_time_in_status() -> None:
    """Time in status on the same studio: the busiest production cycle (its order type, its
    busiest vendor), the proofs' and the invoices' cycles, over twelve months and ten years,
    beside the raw-driver floor; then the twelve months' figures checked against a count over
    the status notes themselves (the scan of all history the summary saves), and its plan."""
    from django.db.models import Count

    from darkroom.production.models import ProductionOrder
    from darkroom.reports.forms.common import default_start
    from darkroom.reports.models import StepsLeft
    from darkroom.reports.selectors.time_in_status import TimeInStatusFilter, time_in_status
    from darkroom.studio.selectors import studio_preferences
    from darkroom.tracking.models import Cycle, CycleKind, Status, StatusNote

    today = studio_preferences().today()
    start = default_start(today)
    busiest_type = (
        ProductionOrder.objects.values("order_type_id")
        .annotate(n=Count("id"))
        .order_by("-n", "order_type_id")
        .values_list("order_type_id", flat=True)
        .first()
    )
    cycle = Cycle.objects.get(kind=CycleKind.PRODUCTION, order_type_id=busiest_type)
    vendor = (
        ProductionOrder.objects.filter(order_type_id=busiest_type)
        .values("vendor_id")
        .annotate(n=Count("id"))
        .order_by("-n", "vendor_id")
        .values_list("vendor_id", flat=True)
        .first()
    )
    year = TimeInStatusFilter(cycle=cycle.pk, start=start, end=today)
    cases = [
        (f"twelve months, {cycle.name}", year),
        ("12 months, its order type", replace(year, order_type=busiest_type)),
        ("12 months, its busiest vendor", replace(year, vendor=vendor)),
        ("ten years", replace(year, start=today.replace(year=today.year - 10))),
    ]
    for kind in (CycleKind.PREPRODUCTION, CycleKind.INVOICE):
        other = Cycle.objects.filter(kind=kind).order_by("pk").first()
        if other is not None:
            cases.append((f"12 months, {other.name}", replace(year, cycle=other.pk)))
    figures = Figures()
    for label, f in cases:
        run = lambda f=f: time_in_status(f, today=today)  # noqa: E731
        figures.add(f"time in status: {label}", run, TIME_IN_STATUS_MS)
    missed = figures.print()
    report = time_in_status(year, today=today)
    statuses = list(Status.objects.filter(cycle=cycle).values_list("pk", flat=True))
    started = time.perf_counter()
    counted = dict(
        StatusNote.objects.filter(
            kind="change",
            from_status__in=statuses,
            business_days_taken__isnull=False,
            date_completed__range=(year.first_day, year.last_day),
        )
        .values("from_status_id")
        .annotate(n=Count("id"))
        .values_list("from_status_id", "n")
    )
    scanned = time.perf_counter() - started
    shown = {s.status_id: s.passed for s in report.statuses if s.passed}
    print(
        f"  (time in status: {report.passed:,} steps left in {year.first_day} – {year.last_day};"
        f" the summary holds {StepsLeft.objects.count():,} rows; the same count over the"
        f" notes themselves took {scanned * 1000:,.0f} ms)"
    )
    assert shown == counted, "the summary counts other steps than the notes hold"
    steps_sql = next(s for s in figures.rows[0][4] if "GROUP BY" in s and "steps_left" in s)
    print("  plan of the time-in-status figures (twelve months):")
    for plan in bench_hub.explain([steps_sql]):
        print(f"    {plan[:400]}")
    for label in missed:
        print(f"  MISSED: {label}")


def measure_vendor_performance() -> None:
    """The vendor performance report on the same studio: twelve months for all vendors and for
    the busiest one, and ten years, beside the raw-driver floor; then the plans of its two
    grouped queries. As for the reorders report, one order in ``REORDER_EVERY`` is made a
    reorder (one reason in three the vendor's fault) inside a transaction rolled back at the
    end. Its figures are checked against counts over the raw rows (the history's change rows
    of the range, the orders finished in it): those counts read all history, the report not.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.db.models import Count

    from darkroom.catalog.models import ReorderReason
    from darkroom.production.models import ProductionOrder
    from darkroom.reports.forms.common import default_start
    from darkroom.reports.selectors.vendor_performance import (
        VendorPerformanceFilter,
        vendor_performance,
    )
    from darkroom.studio.selectors import studio_preferences
    from darkroom.tracking.models import StatusNote

    today = studio_preferences().today()
    with transaction.atomic():
        reasons = [
            ReorderReason.objects.create(description=f"Bench reason {i}", is_non_chargeable=i == 0)
            for i in range(3)
        ]
        table = ProductionOrder._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET reorder_of_id = id - 1,"
                " reorder_reason_id = CASE WHEN id %% 3 = 0 THEN %s WHEN id %% 3 = 1 THEN %s"
                " ELSE %s END"
                f" WHERE id %% {REORDER_EVERY} = 0 AND id > 1",
                [r.pk for r in reasons],
            )
            cursor.execute("ANALYZE")
        year = VendorPerformanceFilter(start=default_start(today), end=today)
        busiest_vendor = (
            ProductionOrder.objects.filter(completed_date__range=(year.start, year.end))
            .values("vendor_id")
            .annotate(n=Count("id"))
            .order_by("-n", "vendor_id")
            .values_list("vendor_id", flat=True)
            .first()
        )
        cases = [
            ("twelve months", year),
            ("12 months, busiest vendor", replace(year, vendor=busiest_vendor)),
            ("ten years", replace(year, start=today.replace(year=today.year - 10))),
        ]
        figures = Figures()
        for label, f in cases:
            run = lambda f=f: vendor_performance(f, today=today)  # noqa: E731
            target = None if "years" in label else VENDORS_MS  # the target is twelve months'
            figures.add(f"vendor performance: {label}", run, target)
        missed = figures.print()
        report = vendor_performance(year, today=today)
        order_kind = ContentType.objects.get_for_model(ProductionOrder)
        steps = StatusNote.objects.filter(
            kind="change",
            content_type=order_kind,
            date_completed__range=(year.start, year.end),
        ).count()
        finished = ProductionOrder.objects.filter(
            completed_date__range=(year.start, year.end)
        ).count()
        reorders = ProductionOrder.objects.filter(
            reorder_of__isnull=False, order_date__range=(year.start, year.end)
        ).count()
        print(
            f"  (twelve months: {report.all.steps:,} steps left, {report.all.on_time_percent} %"
            f" on time, {report.all.finished:,} orders finished, {report.all.promise_percent} %"
            f" on promise, {report.all.reorders:,} reorders; {len(report.vendors)} vendors)"
        )
        assert report.all.steps == steps, "the steps counted differ from the history's rows"
        assert report.all.finished == finished, "the orders finished differ from the orders"
        assert report.all.reorders == reorders, "the reorders differ from the orders"
        for sql in figures.rows[0][4]:
            if "GROUP BY" in sql:
                print("  plan:")
                for plan in bench_hub.explain([sql]):
                    print(f"    {plan[:400]}")
        for label in missed:
            print(f"  MISSED: {label}")
        transaction.set_rollback(True)


def sqlite() -> None:
    bench_hub.sqlite_file(bench_hub.ORDERS)
    measure()
    bench_hub.close_connections()


def postgres() -> None:
    """On PostgreSQL, in a process of its own (this one's Django is set up for SQLite), on the
    database ``bench_hub`` seeds (seeded now when missing); in a smoke run, a small studio
    seeded and dropped."""
    orders = bench_hub.PG_ORDERS
    base = urlsplit(throwaway.postgres_url()).path.lstrip("/")
    if throwaway.SMOKE and throwaway.postgres_only():  # in this process, set up for PostgreSQL
        with throwaway.on_new_postgres(f"{base}_reports") as url:
            if url is not None:
                bench_hub.seed(orders)
                bench_hub.analyze()
                measure()
        return
    if throwaway.SMOKE:
        with throwaway.postgres_database(f"{base}_reports") as url:
            if url is not None:
                bench_hub.run_child("seed", url, orders)
                run_child(url)
        return
    seeded = bench_hub.postgres_seeded(orders)  # seeded first if this seeding code has none yet
    if seeded is not None:
        run_child(seeded)


def run_child(url: str) -> None:
    subprocess.run([sys.executable, __file__, PG_CHILD, url], check=True, timeout=3600)


def child() -> bool:
    if len(sys.argv) < 3 or sys.argv[1] != PG_CHILD:
        return False
    with tempfile.TemporaryDirectory(prefix="darkroom-bench-") as data_dir:
        throwaway.setup_django(data_dir, sys.argv[2])  # applies migrations added since seeding
        bench_hub.analyze()
        measure()
    return True


def main() -> None:
    print(throwaway.machine())
    if throwaway.wanted("sqlite"):
        print(f"SQLite {throwaway.load()}")
        sqlite()
    if throwaway.wanted("postgresql"):
        print(f"then PostgreSQL {throwaway.load()}", flush=True)
        postgres()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if not child():
        main()
