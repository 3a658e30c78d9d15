"""How far the demo's invoices and sessions got: invoices follow their orders (in production
when they go out, ready when all are done, picked up on the delivered date); sessions go from
booked to shot, proofs sent, ordering and delivered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from darkroom.clients.models import Invoice, Session
from darkroom.production.models import PreproductionOrder
from darkroom.sample_data.demo.timeline import DemoTimeline, OrderPlan, Route
from darkroom.tracking.services import record_start


def invoice_routes(timeline: DemoTimeline, plans: Sequence[OrderPlan]) -> None:
    """Entered → In production when the orders go out → Ready when they're all done →
    Picked up on the delivered date."""
    rng = timeline.rng
    held = {i.pk for i in timeline.moved_on_to_production}
    ready_later = {i.pk for i in timeline.moved_on_to_pickup}
    for plan in plans:
        invoice = plan.invoice
        if invoice.pk == timeline.showcase.pk or invoice.pk in held:
            continue
        route = timeline.route(invoice, invoice.invoice_date)
        delivered = invoice.delivered_date
        # A reorder after the pickup (the client came back) doesn't reopen the invoice.
        orders = [r for r in plan.routes if delivered is None or r.started <= delivered]
        if orders:
            timeline.move(route, min(r.started for r in orders))
            if not all(r.done for r in orders) or invoice.pk in ready_later:
                continue
            timeline.move(route, max(r.entered for r in orders))
        elif plan.order_date is None and any(line.vendor is not None for line in plan.lines):
            continue  # waiting for its production orders
        else:  # nothing for a vendor: the studio's own files and fees
            timeline.move(route, timeline.work_day(invoice.invoice_date + dt.timedelta(days=1)))
            ready = timeline.calendar.due(route.entered, rng.randint(1, 5))
            if delivered is not None:
                ready = min(ready, delivered)
            if ready > timeline.today:
                continue
            timeline.move(route, ready)
        if delivered is not None:
            timeline.move(route, delivered)


def session_routes(
    timeline: DemoTimeline,
    sessions: Sequence[Session],
    booked: dict[int, dt.date],
    first_orders: dict[int, Invoice],
) -> list[Session]:
    """Booked → Shot on the shoot day → Proofs sent → Ordering → Delivered; the sessions
    still ahead are returned (their booking is due on the shoot day)."""
    proofs: dict[int, Route] = {
        r.record.session_id: r for r in timeline.routes if isinstance(r.record, PreproductionOrder)
    }
    ahead = []
    for session in sessions:
        if session.status_id is None:
            record_start(record=session, started_on=booked[session.pk], by=timeline.by)
        route = timeline.route(session, session.status_entered_on or booked[session.pk])
        if session.date >= timeline.today:
            ahead.append(session)
            continue
        photographer = session.photographer or timeline.by
        timeline.move(route, session.date)
        route.moves[-1].by = photographer
        proof = proofs.get(session.pk)
        ordered = first_orders.get(session.pk)
        if proof is not None and proof.moves:
            sent = proof.moves[0].day
        elif ordered is not None:
            sent = min(ordered.invoice_date, timeline.calendar.due(session.date, 2))
        else:
            sent = timeline.calendar.due(session.date, 3)
        if sent > timeline.today:
            continue
        timeline.move(route, sent)
        if ordered is None:
            continue
        timeline.move(route, ordered.invoice_date)
        if ordered.delivered_date is not None:
            timeline.move(route, ordered.delivered_date)
    return ahead
