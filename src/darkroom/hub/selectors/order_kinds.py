"""The two kinds of order the hub shows: production orders and preproduction (proof) orders.

They live in two tables, so a page asks each table the filter can find anything in (and no
other) and merges the two; where both have an order at the same place, production comes first.
"""

from __future__ import annotations

from typing import Any

from darkroom.hub.filters import HubFilter
from darkroom.production.models import PreproductionOrder, ProductionOrder

PRODUCTION = "production"
PREPRODUCTION = "preproduction"
KIND_RANK = {PRODUCTION: 0, PREPRODUCTION: 1}  # ties between the two tables: production first


def order_model(kind: str) -> Any:
    return ProductionOrder if kind == PRODUCTION else PreproductionOrder


def kinds_asked(f: HubFilter) -> list[str]:
    """The tables a filter can find anything in (no query for the other one)."""
    kinds = [PRODUCTION, PREPRODUCTION] if f.kind == "all" else [f.kind]
    # Preproduction orders have no order type, priority or promised date.
    if f.order_types or f.priorities or f.flag == "at_risk":
        kinds = [k for k in kinds if k == PRODUCTION]
    return kinds
