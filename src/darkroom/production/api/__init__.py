"""Production over the API: production and proof orders (``orders.py``, ``proof_orders.py``),
the lists of orders open and finished (``order_lists.py``), an order's detail lines
(``details.py``), printed documents (``documents.py``), scans (``scans.py``) and the automatic
steps (``automation.py``). Each topic has its router; ``router`` mounts them all."""

from ninja import Router

from darkroom.production.api import (
    automation,
    details,
    documents,
    order_lists,  # noqa: F401  (its endpoints are on the orders' router)
    orders,
    proof_orders,  # noqa: F401  (its endpoints are on the orders' router)
    scans,
)

router = Router()
for topic in (orders, details, documents, scans, automation):
    router.add_router("", topic.router)

__all__ = ["router"]
