"""Forms of the client, session and invoice pages: they parse what a person typed; the services
decide what is allowed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from darkroom.clients import selectors
from darkroom.clients.invoice_lines import LineInput
from darkroom.clients.models import Client, InvoiceLine, Payment, Session, SessionType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = [
            "first_name",
            "last_name",
            "email",
            "mobile",
            "phone",
            "address",
            "lead_source",
            "do_not_market",
            "do_not_call",
            "sms_consent",
            "notes",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "mobile": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }


class SessionForm(forms.ModelForm):
    """A session's fields; the client is fixed by the page (the client it was opened from)."""

    class Meta:
        model = Session
        fields = ["session_type", "date", "photographer", "notes"]
        widgets = {"date": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session_type"].queryset = selectors.session_types_for_choice(
            keep=self.instance.session_type_id
        )
        self.fields["session_type"].empty_label = "Choose a type…"
        photographer = self.fields["photographer"]
        photographer.queryset = selectors.photographers()
        photographer.label_from_instance = lambda u: u.get_full_name() or u.get_username()
        photographer.empty_label = "Nobody yet"


class InvoiceHeaderForm(forms.Form):
    """The invoice's header; the client is fixed by the page, sessions are that client's."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    session = forms.ModelChoiceField(
        queryset=Session.objects.none(), required=False, empty_label="No session"
    )
    invoice_date = forms.DateField(widget=DATE)
    approximate_delivery_date = forms.DateField(
        label="Approximate delivery date",
        widget=DATE,
        required=False,
        help_text="The date promised to the client.",
    )
    delivered_date = forms.DateField(widget=DATE, required=False)
    shipping_address = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        session = self.fields["session"]
        session.queryset = Session.objects.filter(client=client).select_related("session_type")
        session.label_from_instance = lambda s: f"{s.date:%Y-%m-%d} · {s.session_type}"

    def invoice_fields(self) -> dict[str, Any]:
        """What the services take as the invoice's header fields."""
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "session",
                "invoice_date",
                "approximate_delivery_date",
                "delivered_date",
                "shipping_address",
                "notes",
            )
        }


@dataclass
class LineRow:
    """One line of the invoice editor as the person typed it (strings), with its messages."""

    id: str = ""
    item: str = ""
    quantity: str = "1"
    price: str = ""
    description: str = ""
    vendor: str = ""
    errors: list[str] = field(default_factory=list)
    # Shown beside the line, not posted: the chosen item's description and preferred vendor.
    item_description: str = ""
    preferred_vendor: str = ""

    @property
    def amount(self) -> Decimal | None:
        try:
            return Decimal(self.price) * int(self.quantity)
        except (InvalidOperation, ValueError):
            return None

    @property
    def is_blank(self) -> bool:
        return not (self.id or self.item or self.price.strip() or self.description.strip())

    @classmethod
    def of(cls, line: InvoiceLine) -> LineRow:
        return cls(
            id=str(line.pk),
            item=str(line.item_id),
            quantity=str(line.quantity),
            price=f"{line.price:.2f}",
            description=line.description,
            vendor=str(line.vendor_override_id or ""),
        )


LINE_FIELDS = ("id", "item", "quantity", "price", "description", "vendor")


def line_rows(data: QueryDict) -> list[LineRow]:
    """The editor's lines from the posted arrays ``line_item``, ``line_quantity`` …, in order."""
    columns = {name: data.getlist(f"line_{name}") for name in LINE_FIELDS}
    count = max((len(values) for values in columns.values()), default=0)
    rows = []
    for i in range(count):
        typed = {name: (given[i] if i < len(given) else "") for name, given in columns.items()}
        # Spaces around an id or a number are noise; a description keeps what was typed.
        cleaned = {k: v if k == "description" else v.strip() for k, v in typed.items()}
        rows.append(LineRow(**cleaned))
    return rows


def _whole(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() or (text.startswith("-") and text[1:].isdigit()) else None


def line_inputs(rows: list[LineRow]) -> list[LineInput] | None:
    """The rows as the services take them, dropping blank rows; None if a row can't be read
    (its messages are then on the row)."""
    inputs: list[LineInput] = []
    readable = True
    for number, row in enumerate(rows, start=1):
        if row.is_blank:
            continue
        item = _whole(row.item)
        if item is None:
            row.errors.append(f"Line {number}: choose an item.")
        quantity = _whole(row.quantity)
        if quantity is None:
            row.errors.append(f"Line {number}: the quantity must be a whole number.")
        price: Decimal | None = None
        if row.price:
            try:
                price = Decimal(row.price.replace(",", ""))
            except InvalidOperation:
                row.errors.append(f"Line {number}: the price must be an amount like 12.50.")
            else:
                if not price.is_finite():
                    row.errors.append(f"Line {number}: the price must be an amount like 12.50.")
        vendor = _whole(row.vendor) if row.vendor else None
        line_id = _whole(row.id) if row.id else None
        if row.errors:
            readable = False
            continue
        assert item is not None and quantity is not None
        inputs.append(
            LineInput(
                item_id=item,
                quantity=quantity,
                price=price,
                description=row.description.strip(),
                vendor_override_id=vendor,
                id=line_id,
            )
        )
    return inputs if readable else None


def place_line_errors(rows: list[LineRow], errors: Iterable[ValidationError]) -> list[str]:
    """Put each service message beside the line it is about; return the ones about no line.

    The services number lines among those sent, so blank rows (not sent) are skipped here too.
    """
    sent = [row for row in rows if not row.is_blank]
    general: list[str] = []
    for error in errors:
        number = (error.params or {}).get("line") if hasattr(error, "params") else None
        text = " ".join(error.messages)
        if isinstance(number, int) and 1 <= number <= len(sent):
            sent[number - 1].errors.append(text)
        else:
            general.append(text)
    return general


class PaymentForm(forms.ModelForm):
    class Meta:
        model = Payment
        fields = ["date", "amount", "method", "reference"]
        widgets = {
            "date": DATE,
            "amount": forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        }


class ListFilters(forms.Form):
    """The search box and sort every list has; invalid filters are shown and ignored."""

    q = forms.CharField(required=False, label="Search")
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def values(self) -> dict[str, Any]:
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class SessionFilters(ListFilters):
    session_type = forms.ModelChoiceField(
        queryset=SessionType.objects.order_by("position", "id"),
        required=False,
        label="Type",
        empty_label="All types",
    )
    photographer = forms.ModelChoiceField(
        queryset=Session.objects.none(), required=False, empty_label="Anyone"
    )
    date_from = forms.DateField(required=False, label="From", widget=DATE)
    date_to = forms.DateField(required=False, label="To", widget=DATE)
    client = forms.ModelChoiceField(
        queryset=Client.objects.all(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        photographer = self.fields["photographer"]
        photographer.queryset = selectors.photographers()
        photographer.label_from_instance = lambda u: u.get_full_name() or u.get_username()


class InvoiceFilters(ListFilters):
    date_from = forms.DateField(required=False, label="From", widget=DATE)
    date_to = forms.DateField(required=False, label="To", widget=DATE)
    paid = forms.ChoiceField(
        choices=[("", "Any"), ("unpaid", "Balance due"), ("paid", "Paid in full")],
        required=False,
        label="Payment",
    )
    delivered = forms.ChoiceField(
        choices=[("", "Any"), ("no", "Not delivered"), ("yes", "Delivered")],
        required=False,
        label="Delivery",
    )
    promised_within = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=366,
        label="Promised in (days)",
        widget=forms.NumberInput(attrs={"placeholder": "e.g. 7", "inputmode": "numeric"}),
    )
    client = forms.ModelChoiceField(
        queryset=Client.objects.all(), required=False, widget=forms.HiddenInput
    )
    session = forms.ModelChoiceField(
        queryset=Session.objects.all(), required=False, widget=forms.HiddenInput
    )

    def values(self) -> dict[str, Any]:
        values = super().values()
        if "delivered" in values:
            values["delivered"] = values["delivered"] == "yes"
        return values


def describe(form: forms.Form) -> list[str]:
    """The filters in force, in words, for the print view ("Type: Wedding")."""
    described = []
    for name, value in form.cleaned_data.items():
        if value in (None, "") or name == "sort":
            continue
        bound = form[name]
        shown = value
        choices = getattr(bound.field, "choices", None)
        if isinstance(bound.field, forms.ModelChoiceField):
            shown = bound.field.label_from_instance(value)
        elif choices:
            shown = dict(choices).get(value, value)
        described.append(f"{bound.label}: {shown}")
    return described
