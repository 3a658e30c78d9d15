"""What a person sees first when they log in: what is promised soon, what is unpaid, what was
shot lately. Each list is a bounded, indexed query (never a scan of all history)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F

from darkroom.clients.models import Invoice, Session

HORIZON_DAYS = 14
ROWS = 8


@dataclass(frozen=True)
class HomeOverview:
    deliveries_due: list[Invoice]
    overdue_deliveries: list[Invoice]
    unpaid: list[Invoice]
    recent_sessions: list[Session]
    horizon: dt.date


def home_overview(*, today: dt.date) -> HomeOverview:
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    open_invoices = Invoice.objects.filter(delivered_date__isnull=True).select_related("client")
    return HomeOverview(
        deliveries_due=list(
            open_invoices.filter(approximate_delivery_date__range=(today, horizon)).order_by(
                "approximate_delivery_date", "id"
            )[:ROWS]
        ),
        overdue_deliveries=list(
            open_invoices.filter(approximate_delivery_date__lt=today).order_by(
                "approximate_delivery_date", "id"
            )[:ROWS]
        ),
        unpaid=list(
            Invoice.objects.filter(total__gt=F("paid"))
            .select_related("client")
            .order_by("-invoice_date", "-id")[:ROWS]
        ),
        recent_sessions=list(
            Session.objects.filter(date__lte=today)
            .select_related("client", "session_type", "photographer")
            .order_by("-date", "-id")[:ROWS]
        ),
        horizon=horizon,
    )
