"""What the demo's front desk entered over half a year: the clients, their sessions, then the
invoices and payments that followed (``DemoHistory``), each entered on its own day.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.utils import timezone

from darkroom.catalog.models import PriceListItem, Vendor
from darkroom.clients.models import Client, Invoice, Session, SessionType
from darkroom.clients.services import (
    LineInput,
    client_save,
    invoice_create,
    payment_add,
    session_save,
)
from darkroom.sample_data.demo import catalog
from darkroom.sample_data.demo.clientele import (
    CLIENTS,
    LATER_ORDERS,
    RETURNS_FOR,
    SESSION_TYPES,
    DemoClient,
)
from darkroom.studio.models import StudioPreferences

SESSIONS = 60
INVOICES = 80
CHOOSING_DAYS = 10  # shoots this recent may have no order yet: the proofs are with the client
LATE_ORDERS = 3  # open invoices whose promised date has passed: the hub should show some trouble
# The newest invoice, always the same: an order waiting for its production orders, with lines for
# two vendors and one the studio delivers itself, so "Create production orders" shows it all.
SHOWCASE_NOTE = "Album, wall print and the digital gallery: ready to send to the labs."
SHOWCASE_LINES = ("ALB12", "16X20", "DIGFULL")  # Heirloom, Prairie, no vendor


def clients_entered() -> list[tuple[DemoClient, Client]]:
    """Every client of ``clientele``, through the clients' service, beside their row."""
    return [
        (
            row,
            client_save(
                client=Client(
                    first_name=row.first_name,
                    last_name=row.last_name,
                    email=row.email,
                    mobile=row.mobile,
                    phone=row.phone,
                    address=row.address,
                    lead_source=row.lead_source,
                    do_not_market=row.do_not_market,
                    do_not_call=row.do_not_call,
                    # Every other client with a mobile agreed to texts when booking.
                    sms_consent=bool(row.mobile) and index % 2 == 0,
                    notes=row.notes,
                )
            ),
        )
        for index, row in enumerate(CLIENTS)
    ]


SESSION_NOTES = {
    "Wedding": "Second shooter from 2 pm; family formals right after the ceremony.",
    "Newborn": "Bring the cream wrap and the wooden bowl; keep the studio warm.",
    "Family": "Golden hour at Lighthouse Beach if the weather holds.",
    "Senior Portrait": "Two outfit changes; wants the varsity jacket in a few frames.",
    "Headshot": "Navy backdrop to match the firm's website.",
    "Event": "Same-night slideshow; two photographers.",
}
INVOICE_NOTES = (
    "Pick up at the studio.",
    "Gift for the grandparents: please gift-wrap.",
    "Client is travelling; call before shipping.",
    "Ship to the client's address.",
)
ENTERED_AT = dt.time(10, 30)  # studio time: the front desk enters records mid-morning
PAYMENT_METHODS = ("card", "card", "card", "card", "cash", "check", "transfer")


def _saturday_on_or_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=(day.weekday() - 5) % 7)


def _weekday_on_or_after(day: dt.date) -> dt.date:
    """The day itself from Monday to Friday, else the Monday after."""
    return day + dt.timedelta(days=7 - day.weekday() if day.weekday() >= 5 else 0)


@dataclass(frozen=True)
class _Order:
    """An invoice to be entered: for which shoot, when, which items, linked to the session?"""

    session: Session
    date: dt.date
    picks: list[str]
    linked: bool


class DemoHistory:
    """Half a year of the studio's life: sessions, then the invoices and payments that followed.

    Every random choice comes from one seeded generator in a fixed order, and every date is
    counted from the studio's today.
    """

    def __init__(
        self,
        rng: random.Random,
        prefs: StudioPreferences,
        items: dict[str, PriceListItem],
        vendors: dict[str, Vendor],
    ) -> None:
        self.rng = rng
        self.today = prefs.today()
        self.zone = zoneinfo.ZoneInfo(prefs.time_zone)
        self.items = items
        self.vendors = vendors
        self.late_orders = 0

    def days_ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def sessions(
        self,
        clients: list[tuple[DemoClient, Client]],
        types: dict[str, SessionType],
        photographers: list[AbstractUser],
    ) -> list[Session]:
        """Each client's first shoot in the last six months; some come back, a few next month."""
        rng = self.rng
        planned = [
            (client, row.shoot, self.days_ago(rng.randint(10, 185))) for row, client in clients
        ]
        for index in rng.sample(range(len(planned)), SESSIONS - len(planned)):
            client, shoot, first = planned[index]
            later = first + dt.timedelta(days=rng.randint(14, (self.today - first).days + 23))
            planned.append((client, RETURNS_FOR[shoot], later))
        planned.sort(key=lambda plan: plan[2])
        for client, _, first in reversed(planned):  # the earliest session is backdated last
            self.backdate(client, first - dt.timedelta(days=14))
        sessions = []
        for client, shoot, date in planned:
            if shoot == "Wedding":
                date = _saturday_on_or_before(date)
            photographer = rng.choice(photographers) if photographers else None
            session = Session(
                client=client,
                session_type=types[shoot],
                date=date,
                photographer=photographer,
                notes=SESSION_NOTES[shoot] if rng.random() < 0.3 else "",
            )
            sessions.append(session_save(session=session))
            self.backdate(session, date - dt.timedelta(days=21))
        return sessions

    def backdate(self, record: Client | Session | Invoice, day: dt.date) -> None:
        """Say the record was entered on that day (not in the future), as if the studio had
        used Darkroom all along; ``created_at`` is set by the database, so it is corrected after."""
        entered = min(dt.datetime.combine(day, ENTERED_AT, tzinfo=self.zone), timezone.now())
        type(record).objects.filter(pk=record.pk).update(created_at=entered)
        record.created_at = entered

    def invoices(
        self, sessions: Sequence[Session], *, by: AbstractUser | None
    ) -> tuple[list[Invoice], Invoice]:
        """An order after every past shoot but the latest few, then later orders (albums,
        reprints) up to 80, entered in date order so invoice numbers follow the calendar; the
        invoices and the showcase among them."""
        rng = self.rng
        shot = [s for s in sessions if s.date < self.today]
        weddings = [s for s in shot if s.session_type.name == "Wedding"]
        showcased = weddings[-1] if weddings else shot[-1]
        # The latest shoots' clients are still looking at their proofs: no order yet.
        choosing = [
            s for s in shot if (self.today - s.date).days <= CHOOSING_DAYS and s is not showcased
        ]
        ordered = [s for s in shot if s not in choosing]
        older = [s for s in shot if (self.today - s.date).days > 25]
        orders = [self.first_order(s) for s in ordered]
        orders += [self.later_order(s) for s in rng.choices(older, k=INVOICES - len(ordered) - 1)]
        orders.sort(key=lambda order: order.date)
        invoices = [self.invoice(order, by=by) for order in orders]
        showcase = self.showcase(showcased, by=by)
        return [*invoices, showcase], showcase

    def showcase(self, session: Session, *, by: AbstractUser | None) -> Invoice:
        """The newest invoice (SHOWCASE_NOTE): the latest wedding's album, wall print and
        gallery, entered on the last work day with a deposit, no production orders yet."""
        date = self.work_day(self.today)
        invoice = invoice_create(
            client=session.client,
            session=session,
            invoice_date=date,
            approximate_delivery_date=_weekday_on_or_after(date + dt.timedelta(days=28)),
            notes=SHOWCASE_NOTE,
            lines=[LineInput(item_id=self.items[i].pk, quantity=1) for i in SHOWCASE_LINES],
            by=by,
        )
        self.pay(invoice, (invoice.total * Decimal("0.3")).quantize(Decimal("1")), date)
        self.backdate(invoice, date)
        return invoice

    def first_order(self, session: Session) -> _Order:
        """What the client ordered at the viewing, a few days after the shoot."""
        rng = self.rng
        pool = SESSION_TYPES[session.session_type.name]
        fee = [pool[0]] if rng.random() < 0.85 else []
        picks = fee + rng.sample(pool[1:], rng.randint(0 if fee else 1, 4))
        days = rng.randint(1, min(10, (self.today - session.date).days))
        date = max(self.work_day(session.date + dt.timedelta(days=days)), session.date)
        return _Order(session, date, picks, True)

    def later_order(self, session: Session) -> _Order:
        """A client back weeks later for wall art, reprints or the album."""
        rng = self.rng
        wedding = session.session_type.name == "Wedding"
        picks = rng.sample(LATER_ORDERS["Wedding" if wedding else "other"], rng.randint(1, 3))
        days = rng.randint(20, min(75, (self.today - session.date).days))
        linked = wedding or rng.random() < 0.5
        return _Order(session, self.work_day(session.date + dt.timedelta(days=days)), picks, linked)

    def work_day(self, day: dt.date) -> dt.date:
        """The front desk works Monday to Friday: the next weekday, or the last one before today."""
        day = _weekday_on_or_after(day)
        if day > self.today:
            day = self.today
            while day.weekday() >= 5:
                day -= dt.timedelta(days=1)
        return day

    def invoice(self, order: _Order, *, by: AbstractUser | None) -> Invoice:
        rng = self.rng
        date = order.date
        delivered = None
        age = (self.today - date).days
        if age >= 75 or (age >= 40 and rng.random() < 0.85):
            promised = _weekday_on_or_after(date + dt.timedelta(days=rng.randint(21, 35)))
            delivered = max(self.work_day(date + dt.timedelta(days=rng.randint(14, 38))), date)
        elif rng.random() < 0.1:
            promised = None
        else:
            promised = _weekday_on_or_after(date + dt.timedelta(days=rng.randint(21, 42)))
            if promised <= self.today:
                if self.late_orders < LATE_ORDERS:
                    self.late_orders += 1
                else:
                    promised = _weekday_on_or_after(
                        self.today + dt.timedelta(days=rng.randint(3, 28))
                    )
        invoice = invoice_create(
            client=order.session.client,
            session=order.session if order.linked else None,
            invoice_date=date,
            approximate_delivery_date=promised,
            delivered_date=delivered,
            notes=rng.choice(INVOICE_NOTES) if rng.random() < 0.15 else "",
            lines=[self.line(identifier) for identifier in order.picks],
            by=by,
        )
        self.payments(invoice, delivered)
        self.backdate(invoice, date)
        return invoice

    def line(self, identifier: str) -> LineInput:
        rng = self.rng
        if identifier == "RETBASIC":
            quantity = rng.randint(3, 15)
        elif identifier in {"RETADV", "RETSWAP"}:
            quantity = rng.randint(1, 5)
        elif identifier == "ALBSPREAD":
            quantity = rng.randint(2, 6)
        elif identifier in {"4X6", "5X7", "8X10", "WALLETS8"}:
            quantity = rng.choice((1, 1, 2, 2, 3, 4))
        else:
            quantity = 1
        override = None
        if identifier in catalog.OVERRIDES and rng.random() < 0.2:
            override = self.vendors[catalog.OVERRIDES[identifier]].pk
        return LineInput(
            item_id=self.items[identifier].pk, quantity=quantity, vendor_override_id=override
        )

    def payments(self, invoice: Invoice, delivered: dt.date | None) -> None:
        """Delivered orders are (nearly always) paid in full; open ones unpaid, deposit or paid."""
        rng = self.rng
        total = invoice.total
        chance = rng.random()
        if delivered is not None:
            deposit_first = chance < 0.45
            balance_due = chance > 0.95
        else:
            if chance < 0.25:
                return
            deposit_first = balance_due = chance < 0.75
        if (deposit_first or balance_due) and total >= 100:
            deposit = (
                total * rng.choice((Decimal("0.3"), Decimal("0.4"), Decimal("0.5")))
            ).quantize(Decimal("1"))
            self.pay(invoice, deposit, invoice.invoice_date)
            if not balance_due:
                self.pay(invoice, total - deposit, delivered or self.today)
        else:
            self.pay(invoice, total, invoice.invoice_date)

    def pay(self, invoice: Invoice, amount: Decimal, date: dt.date) -> None:
        method = self.rng.choice(PAYMENT_METHODS)
        reference = {
            "check": f"Check {self.rng.randint(1001, 4999)}",
            "transfer": f"Transfer {self.rng.randint(100000, 999999)}",
        }.get(method, "")
        payment_add(invoice=invoice, amount=amount, date=date, method=method, reference=reference)
