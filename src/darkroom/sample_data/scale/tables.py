"""The tables the large studio is written to in bulk, and the columns each row gives."""

from __future__ import annotations

from darkroom.clients.models import Client, Invoice, InvoiceLine, Payment, Session
from darkroom.production.models import PreproductionOrder, ProductionOrder, ProductionOrderDetail
from darkroom.sample_data.scale.bulk import Table
from darkroom.tracking.models import StatusNote


class BulkTables:
    """One ``Table`` per kind of row; ``in_order`` is the order their foreign keys need."""

    def __init__(self) -> None:
        self.clients = Table(Client, ["id", "first_name", "last_name", "email", "phone"])
        self.sessions = Table(
            Session, ["id", "client_id", "session_type_id", "date", "photographer_id"]
        )
        tracked = [
            "status_id",
            "status_entered_on",
            "status_due_date",
            "status_department_id",
            "status_user_id",
            "status_changed_at",
            "completed_by_id",
            "completed_date",
            "projected_completion",
            "version",
        ]
        self.invoices = Table(
            Invoice,
            [
                "id",
                "client_id",
                "session_id",
                "invoice_date",
                "approximate_delivery_date",
                "delivered_date",
                "total",
                "paid",
                "created_by_id",
                *tracked,
            ],
        )
        self.lines = Table(
            InvoiceLine,
            ["id", "invoice_id", "position", "item_id", "description", "quantity", "price"],
        )
        self.payments = Table(Payment, ["id", "invoice_id", "date", "amount", "method"])
        self.orders = Table(
            ProductionOrder,
            [
                "id",
                "invoice_id",
                "vendor_id",
                "order_type_id",
                "number",
                "vendor_number",
                "order_date",
                "promised_date",
                "entered_by_id",
                "client_id",
                "priority_code_id",
                "vendor_invoice_amount",
                *tracked,
            ],
        )
        self.details = Table(
            ProductionOrderDetail,
            ["id", "order_id", "invoice_line_id", "item_id", "description", "quantity"],
        )
        self.proofs = Table(
            PreproductionOrder,
            [
                "id",
                "session_id",
                "vendor_id",
                "number",
                "vendor_number",
                "order_date",
                "entered_by_id",
                *tracked,
            ],
        )
        self.notes = Table(
            StatusNote,
            [
                "id",
                "content_type_id",
                "object_id",
                "kind",
                "from_status_id",
                "to_status_id",
                "date_completed",
                "due_date",
                "updated_by_id",
                "department_id",
                "user_id",
                "changed_at",
                "business_days_taken",
                "planned_duration",
                "business_days_late",
            ],
        )
        # In the order their foreign keys need them.
        self.in_order = [
            self.clients,
            self.sessions,
            self.invoices,
            self.lines,
            self.payments,
            self.orders,
            self.details,
            self.proofs,
            self.notes,
        ]
