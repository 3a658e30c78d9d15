"""A large studio made in bulk, to measure on: ``seed_scale`` (all of it in ``writer`` for now)."""

from darkroom.sample_data.scale.writer import (
    OPEN_SHARE,
    USERS,
    VENDORS,
    ScaleReport,
    _secondary_indexes,
    check_orders,
    seed_scale,
)

__all__ = [
    "OPEN_SHARE",
    "USERS",
    "VENDORS",
    "ScaleReport",
    "_secondary_indexes",
    "check_orders",
    "seed_scale",
]
