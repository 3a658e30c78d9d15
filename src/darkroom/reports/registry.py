"""The studio's reports, as the Reports section lists them: address, title, what they answer and
the permission a person needs to see the records they read."""

from __future__ import annotations

from dataclasses import dataclass

from darkroom.reports.selectors.status_report import INVOICES, ORDERS, SESSIONS


@dataclass(frozen=True)
class Report:
    slug: str  # its address under /reports/ and /api/v1/reports/
    kind: str  # the records it reads (ORDERS, SESSIONS, INVOICES; reorders)
    title: str
    description: str
    permission: str
    number_label: str


STATUS_REPORTS = {
    report.slug: report
    for report in [
        Report(
            "order-status",
            ORDERS,
            "Order status report",
            "Open production or proof orders per status, with the invoice value sitting in each.",
            "production.view_productionorder",
            "Order no.",
        ),
        Report(
            "session-status",
            SESSIONS,
            "Session status report",
            "Open sessions per status, with the value of their invoices.",
            "clients.view_session",
            "Session",
        ),
        Report(
            "invoice-status",
            INVOICES,
            "Invoice status report",
            "Open invoices per status, with their totals.",
            "clients.view_invoice",
            "Invoice no.",
        ),
    ]
}


REORDERS = Report(
    "reorders",
    "reorders",
    "Reorders",
    "Orders redone, by reason, vendor and month: what they cost and which were the vendor's fault.",
    "production.view_productionorder",
    "Order no.",
)
"""The reorders report (its own page: reports/views/reorders.py)."""

PROFIT = Report(
    "profit",
    "profit",
    "Profit analysis",
    "What the sessions invoiced in a range brought in, cost and left, per session type, "
    "photographer or lead source, with the gross margin.",
    "clients.view_invoice",
    "Session",
)
"""The profit analysis (its own page: reports/views/profit.py)."""

WORKLOAD = Report(
    "workload",
    "workload",
    "Workload",
    "Orders entered and finished per week, and the open backlog per status at each week's end.",
    "production.view_productionorder",
    "Order no.",
)
"""The workload report (its own page: reports/views/workload.py)."""

TIME_IN_STATUS = Report(
    "time-in-status",
    "time-in-status",
    "Time in status",
    "How long each step of a cycle took: per status, the steps left in a range, their median "
    "and 90th percentile business days, the share over plan, and the open ones overdue.",
    "production.view_productionorder",
    "Status",
)
"""The time-in-status report (its own page: reports/views/time_in_status.py)."""

VENDOR_PERFORMANCE = Report(
    "vendor-performance",
    "vendor-performance",
    "Vendor performance",
    "How each vendor kept its dates: steps on time and how late, orders on time to the "
    "promised date, turnaround and reorders, month by month.",
    "production.view_productionorder",
    "Vendor",
)
"""The vendor performance report (its own page: reports/views/vendor_performance.py)."""

REPORTS = {
    **STATUS_REPORTS,
    REORDERS.slug: REORDERS,
    PROFIT.slug: PROFIT,
    WORKLOAD.slug: WORKLOAD,
    TIME_IN_STATUS.slug: TIME_IN_STATUS,
    VENDOR_PERFORMANCE.slug: VENDOR_PERFORMANCE,
}
"""Every report, as the index lists them."""
