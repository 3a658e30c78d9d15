"""Writes of production and proof orders, one module per topic: orders made from invoices
(``creation.py``, planned by ``invoice_plans.py``), changes to an order (``order_changes.py``),
reorders (``reorders.py``), proof orders (``proof_orders.py``) and an order's detail lines
(``details.py``, their image names ``image_names.py``); the checks and the vendor's numbers they
share (``checks.py``, ``vendor_numbers.py``).

Code imports a service from its module. The names below are also kept here because the order
pages and the orders' API (``production/views/``, ``production/api/``) and the demo
studio's timeline call them as ``services.<name>``.
"""

from darkroom.production.services.creation import (
    DuplicateOrder,
    OrdersCreated,
    orders_created_message,
    production_orders_create,
    production_orders_create_many,
)
from darkroom.production.services.invoice_plans import vendors_without_order_type
from darkroom.production.services.order_changes import order_number_assign, production_order_update
from darkroom.production.services.proof_orders import preproduction_order_create
from darkroom.production.services.reorders import production_order_reorder

__all__ = [
    "DuplicateOrder",
    "OrdersCreated",
    "order_number_assign",
    "orders_created_message",
    "preproduction_order_create",
    "production_order_reorder",
    "production_order_update",
    "production_orders_create",
    "production_orders_create_many",
    "vendors_without_order_type",
]
