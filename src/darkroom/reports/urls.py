"""The Reports section, under /reports/: the index, each report, its Excel file and its PDF
(the reorders report first: its own pages, before the status reports' by slug)."""

from django.urls import path

from darkroom.reports.views import reorders, status

app_name = "reports"
urlpatterns = [
    path("", status.report_index, name="index"),
    path("reorders/", reorders.reorders_report, name="reorders"),
    path("reorders/export.xlsx", reorders.reorders_report_xlsx, name="reorders-xlsx"),
    path("reorders/print.pdf", reorders.reorders_report_pdf, name="reorders-pdf"),
    path("<slug:slug>/", status.status_report, name="report"),
    path("<slug:slug>/export.xlsx", status.status_report_xlsx, name="report-xlsx"),
    path("<slug:slug>/print.pdf", status.status_report_pdf, name="report-pdf"),
]
