"""The reports over the API (``/api/v1/reports/…``): orders, sessions and invoices by status
(``status.py``), reorders (``reorders.py``), profit (``profit.py``), workload
(``workload.py``), time in status (``time_in_status.py``) and vendor performance
(``vendor_performance.py``). Each report has its router; ``router`` mounts them all."""

from ninja import Router

from darkroom.reports.api import (
    profit,
    reorders,
    status,
    time_in_status,
    vendor_performance,
    workload,
)

router = Router()
for report in (status, reorders, profit, workload, time_in_status, vendor_performance):
    router.add_router("", report.router)

__all__ = ["router"]
