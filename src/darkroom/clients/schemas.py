"""The API's shapes of clients, sessions, invoices (with lines) and payments.

Money is written as a string with two decimals (``"25.00"``) and read from a number or a string.
``…In`` is a whole record (POST, PUT), ``…Patch`` the fields to change (PATCH).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from darkroom.api.answers import TrackedStateOut
from darkroom.api.fields import Day, Id, MoneyIn, MoneyOut, Text, left_out
from darkroom.api.lists import list_of
from darkroom.clients.models import Client, Invoice, InvoiceLine, Session
from darkroom.production.api.automation import AutomationOutcomeOut

# Clients ---------------------------------------------------------------------------------------


class ClientIn(Schema):
    model_config = ConfigDict(extra="forbid")

    first_name: Text = ""
    last_name: Text
    email: Text = ""
    mobile: Text = ""
    phone: Text = ""
    address: Text = ""
    lead_source: Text = ""
    do_not_market: bool = False
    do_not_call: bool = False
    sms_consent: bool = Field(False, description="The client agreed to receive text messages")
    notes: Text = ""


class ClientPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    first_name: Text = left_out()
    last_name: Text = left_out()
    email: Text = left_out()
    mobile: Text = left_out()
    phone: Text = left_out()
    address: Text = left_out()
    lead_source: Text = left_out()
    do_not_market: bool = left_out()
    do_not_call: bool = left_out()
    sms_consent: bool = left_out()
    notes: Text = left_out()


class ClientOut(Schema):
    id: int
    name: str
    first_name: str
    last_name: str
    email: str
    mobile: str
    phone: str
    address: str
    lead_source: str
    do_not_market: bool
    do_not_call: bool
    sms_consent: bool
    notes: str
    created_at: dt.datetime

    @staticmethod
    def resolve_name(obj: Client) -> str:
        return obj.name


ClientPage = list_of(ClientOut)


# Sessions --------------------------------------------------------------------------------------


class SessionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    client: Id
    session_type: Id
    date: Day
    photographer: Id | None = None
    notes: Text = ""


class SessionPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    client: Id | None = left_out()  # null: refused beside the field ("A client is required.")
    session_type: Id | None = left_out()
    date: Day = left_out()
    photographer: Id | None = left_out()
    notes: Text = left_out()


class SessionOut(TrackedStateOut):
    id: int
    client: int = Field(..., alias="client_id")
    client_name: str
    session_type: int = Field(..., alias="session_type_id")
    session_type_name: str
    date: dt.date
    photographer: int | None = Field(None, alias="photographer_id")
    notes: str
    created_at: dt.datetime

    @staticmethod
    def resolve_client_name(obj: Session) -> str:
        return obj.client.name

    @staticmethod
    def resolve_session_type_name(obj: Session) -> str:
        return obj.session_type.name


SessionPage = list_of(SessionOut)


# Invoices --------------------------------------------------------------------------------------


class InvoiceLineIn(Schema):
    """One line; give the ``id`` of an existing line to keep it (and what refers to it)."""

    model_config = ConfigDict(extra="forbid")

    id: Id | None = None
    item: Id
    quantity: int = 1
    price: MoneyIn | None = Field(None, description="Defaults to the item's price.")
    description: Text = Field("", description="Defaults to the item's description.")
    vendor_override: Id | None = Field(
        None, description="Send this line to this vendor instead of the item's preferred one."
    )


class InvoiceLineOut(Schema):
    id: int
    position: int
    item: int = Field(..., alias="item_id")
    item_identifier: str
    description: str
    quantity: int
    price: MoneyOut
    amount: MoneyOut
    vendor_override: int | None = Field(None, alias="vendor_override_id")
    vendor: int | None = Field(None, description="The line's vendor: override, else preferred.")

    @staticmethod
    def resolve_item_identifier(obj: InvoiceLine) -> str:
        return obj.item.identifier

    @staticmethod
    def resolve_vendor(obj: InvoiceLine) -> int | None:
        vendor = obj.vendor
        return vendor.pk if vendor else None


class InvoiceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    client: Id
    session: Id | None = None
    invoice_date: Day | None = Field(None, description="Defaults to the studio's today.")
    approximate_delivery_date: Day | None = Field(
        None, description="The date promised to the client."
    )
    delivered_date: Day | None = None
    shipping_address: Text = Field("", description="Defaults to the client's address.")
    notes: Text = ""
    lines: list[InvoiceLineIn] = []


class InvoicePut(InvoiceIn):
    version: int = Field(..., description="The version read; a stale one is refused (409).")
    invoice_date: Day  # type: ignore[assignment]
    lines: list[InvoiceLineIn]


class InvoicePatch(Schema):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(..., description="The version read; a stale one is refused (409).")
    client: Id | None = left_out()
    session: Id | None = left_out()
    invoice_date: Day = left_out()
    approximate_delivery_date: Day | None = left_out()
    delivered_date: Day | None = left_out()
    shipping_address: Text = left_out()
    notes: Text = left_out()
    lines: list[InvoiceLineIn] = left_out(description="When given, replaces every line.")


class InvoiceSummaryOut(TrackedStateOut):
    id: int
    number: str
    client: int = Field(..., alias="client_id")
    client_name: str
    session: int | None = Field(None, alias="session_id")
    invoice_date: dt.date
    approximate_delivery_date: dt.date | None
    delivered_date: dt.date | None
    shipping_address: str
    notes: str
    total: MoneyOut
    paid: MoneyOut
    balance: MoneyOut
    production_orders_prompt: str = Field(
        ...,
        description="Production automation asks whether to create the invoice's orders: the "
        "moment it asks about (e.g. paid_in_full); empty when nothing is asked.",
    )
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_client_name(obj: Invoice) -> str:
        return obj.client.name

    @staticmethod
    def resolve_balance(obj: Invoice) -> Decimal:
        return obj.total - obj.paid


class InvoiceOut(InvoiceSummaryOut):
    lines: list[InvoiceLineOut]
    production_automation: AutomationOutcomeOut | None = Field(
        None, description="Only when creating: what production automation did (null: nothing)."
    )

    @staticmethod
    def resolve_lines(obj: Invoice) -> list[InvoiceLine]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_production_automation(obj: Invoice) -> dict[str, Any] | None:
        outcome = getattr(obj, "production_automation", None)
        return outcome.answer() if outcome is not None else None


InvoicePage = list_of(InvoiceSummaryOut)


# Payments --------------------------------------------------------------------------------------


class PaymentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    amount: MoneyIn
    date: Day | None = Field(None, description="Defaults to the studio's today.")
    method: Literal["card", "cash", "check", "transfer", "other"] = "card"
    reference: Text = ""


class PaymentOut(Schema):
    id: int
    invoice: int = Field(..., alias="invoice_id")
    date: dt.date
    amount: MoneyOut
    method: str
    reference: str
    created_at: dt.datetime


class PaymentCreatedOut(PaymentOut):
    production_automation: AutomationOutcomeOut | None = Field(
        None, description="What production automation did on this payment (null: nothing)."
    )

    @staticmethod
    def resolve_production_automation(obj: Any) -> dict[str, Any] | None:
        outcome = getattr(obj, "production_automation", None)
        return outcome.answer() if outcome is not None else None


PaymentPage = list_of(PaymentOut)
