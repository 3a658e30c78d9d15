"""The Reports section, under /reports/: the index, each report, its Excel file and its PDF
(the reorders report, the profit analysis, the workload report, time in status and vendor
performance first: their own pages, before the status reports' by slug)."""

from django.urls import path

from darkroom.reports.views import (
    profit,
    reorders,
    status,
    time_in_status,
    vendor_performance,
    workload,
)

app_name = "reports"
urlpatterns = [
    path("", status.report_index, name="index"),
    path("reorders/", reorders.reorders_report, name="reorders"),
    path("reorders/export.xlsx", reorders.reorders_report_xlsx, name="reorders-xlsx"),
    path("reorders/print.pdf", reorders.reorders_report_pdf, name="reorders-pdf"),
    path("profit/", profit.profit_report, name="profit"),
    path("profit/export.xlsx", profit.profit_report_xlsx, name="profit-xlsx"),
    path("profit/print.pdf", profit.profit_report_pdf, name="profit-pdf"),
    path("workload/", workload.workload_report, name="workload"),
    path("workload/export.xlsx", workload.workload_report_xlsx, name="workload-xlsx"),
    path("workload/print.pdf", workload.workload_report_pdf, name="workload-pdf"),
    path("time-in-status/", time_in_status.time_in_status_report, name="time-in-status"),
    path(
        "time-in-status/export.xlsx",
        time_in_status.time_in_status_xlsx_view,
        name="time-in-status-xlsx",
    ),
    path(
        "time-in-status/print.pdf",
        time_in_status.time_in_status_pdf_view,
        name="time-in-status-pdf",
    ),
    path(
        "vendor-performance/",
        vendor_performance.vendor_performance_report,
        name="vendor-performance",
    ),
    path(
        "vendor-performance/export.xlsx",
        vendor_performance.vendor_performance_report_xlsx,
        name="vendor-performance-xlsx",
    ),
    path(
        "vendor-performance/print.pdf",
        vendor_performance.vendor_performance_report_pdf,
        name="vendor-performance-pdf",
    ),
    path("<slug:slug>/", status.status_report, name="report"),
    path("<slug:slug>/export.xlsx", status.status_report_xlsx, name="report-xlsx"),
    path("<slug:slug>/print.pdf", status.status_report_pdf, name="report-pdf"),
]
