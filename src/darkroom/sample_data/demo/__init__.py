"""The demo studio: “Lumen & Grain Photography”, a small studio to explore Darkroom with.

``darkroom demo`` (and ``make run``) loads it with ``demo_studio_load``, through the same services
the pages and the API use, so the demo obeys every rule a real studio does. It is meant to look
lived-in: a team in three departments, forty clients, half a year of sessions and invoices, proof
and production orders in every step of their cycles (``timeline``: each step written on the day
it happened), and deliveries promised for the coming weeks. Random choices come from a fixed seed
and every date is counted from the studio's today, so each load looks alike and the promises are
still ahead.

The data reads as tables: ``people`` (the studio and its team), ``catalog`` (vendors, price list,
order types…), ``clientele`` (clients, kinds of shoot and what they buy), ``cycles`` and
``messages`` (templates and triggers). Every email address is on a reserved example domain and
every phone number in the 555-01xx range kept for fiction, so nothing the demo studio sends can
reach a real person.

The work, in the order ``load`` does it: ``lists`` (departments, the catalog, cycles, triggers
written from the tables), ``front_desk`` (clients, sessions, invoices and payments), then the
months of orders and status changes planned on a ``timeline`` (``order_routes``, ``situations``,
``invoice_and_session_routes``) and written (``writing``).
"""

from darkroom.sample_data.demo.load import (
    DEMO_PASSWORD,
    DemoLoad,
    DemoLogin,
    DemoOutcome,
    demo_studio_load,
)

__all__ = ["DEMO_PASSWORD", "DemoLoad", "DemoLogin", "DemoOutcome", "demo_studio_load"]
