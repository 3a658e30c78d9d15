"""The Reports section, under /reports/: the index, each report, its Excel file and its PDF."""

from django.urls import path

from darkroom.reports.views import status

app_name = "reports"
urlpatterns = [
    path("", status.report_index, name="index"),
    path("<slug:slug>/", status.status_report, name="report"),
    path("<slug:slug>/export.xlsx", status.status_report_xlsx, name="report-xlsx"),
    path("<slug:slug>/print.pdf", status.status_report_pdf, name="report-pdf"),
]
