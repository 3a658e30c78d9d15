"""The path the demo studio imports the detail line service from; the services of an order's
detail lines are ``production/services/details.py``.
"""

from darkroom.production.services.details import production_order_detail_add

__all__ = ["production_order_detail_add"]
