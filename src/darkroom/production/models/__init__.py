"""Production's tables: production orders (``orders``) and their detail lines (``details``),
proof orders (``proof_orders``), and the studio's production automation (``automation``). The
studio's count of order numbers, and the number each order takes when it is made, are
``production/numbers.py``, below the orders.

Order numbers: every production and proof order gets the studio's next number when it is made,
from one count shared by both kinds, so a number names exactly one order in the whole studio,
and it is what the barcode on its paperwork carries. A vendor's own number for the order (a
lab's confirmation number, or the vendor's next number when the studio numbers that vendor's
orders) is kept beside it in ``vendor_number``, unique per vendor.

Django reads an app's models from ``production.models``, so this package names them all here,
as its models module; the rest of the code imports them from here too.
"""

from darkroom.production.models.automation import (
    AutomationAction,
    AutomationMoment,
    ProductionAutomation,
)
from darkroom.production.models.details import ProductionOrderDetail
from darkroom.production.models.orders import ProductionOrder
from darkroom.production.models.proof_orders import PreproductionOrder

__all__ = [
    "AutomationAction",
    "AutomationMoment",
    "PreproductionOrder",
    "ProductionAutomation",
    "ProductionOrder",
    "ProductionOrderDetail",
]
