"""API endpoints of the studio app."""

from ninja import Router

router = Router(tags=["studio"])
