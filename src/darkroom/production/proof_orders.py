"""The path the order pages, the API and the demo studio import the proof order change from;
the service, beside the one that makes proof orders, is ``production/services/proof_orders.py``.
"""

from darkroom.production.services.proof_orders import preproduction_order_update

__all__ = ["preproduction_order_update"]
