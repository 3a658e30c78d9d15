"""The reports over the API (``/api/v1/reports/…``): orders, sessions and invoices by status
(``status.py``), reorders (``reorders.py``) and profit (``profit.py``). Each report has its
router; ``router`` mounts them all."""

from ninja import Router

from darkroom.reports.api import profit, reorders, status

router = Router()
for report in (status, reorders, profit):
    router.add_router("", report.router)

__all__ = ["router"]
