"""Forms of the production pages: they parse what a person typed; the services decide what is
allowed, and their refusals are shown beside the fields they name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from darkroom.catalog.models import PriorityCode, ProductionOrderType, ReorderReason, Vendor
from darkroom.production.models import PreproductionOrder, ProductionOrder

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DETAILS = (
    ("automatic", "Automatic: a detail line for each invoice line of that vendor"),
    ("manual", "Manual: orders without detail lines, to fill in by hand"),
)


class PersonField(forms.ModelChoiceField):
    """A person by name (full name, else login)."""

    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.get_username()
        return name if obj.is_active else f"{name} (can't sign in)"


def active_vendors() -> Any:
    return Vendor.objects.filter(is_inactive=False).order_by("name")


class OrdersCreateForm(forms.Form):
    """How to make an invoice's production orders (DOMAIN: one vendor or all necessary ones).

    For all necessary vendors, each vendor the lines need that has no default order type gets a
    field of its own (``type_for_<vendor id>``): the order type of its order. Left empty, that
    vendor's lines are skipped and the others' orders are made.
    """

    vendor = forms.ModelChoiceField(
        queryset=Vendor.objects.none(),
        required=False,
        empty_label="All necessary vendors",
        help_text="One order per vendor the invoice's lines need, or one order at this vendor.",
    )
    details = forms.ChoiceField(choices=DETAILS, initial="automatic", widget=forms.RadioSelect)
    order_type = forms.ModelChoiceField(
        queryset=ProductionOrderType.objects.none(),
        required=False,
        empty_label="Each vendor's default",
    )
    order_date = forms.DateField(widget=DATE)
    confirm_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, untyped: Sequence[Vendor] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = active_vendors()
        types = ProductionOrderType.objects.filter(is_inactive=False)
        self.fields["order_type"].queryset = types
        self.untyped = list(untyped)
        for vendor in self.untyped:
            self.fields[f"type_for_{vendor.pk}"] = forms.ModelChoiceField(
                queryset=types,
                required=False,
                label=f"Order type at {vendor}",
                empty_label="None: skip its lines",
                help_text=f"“{vendor}” has no default order type.",
            )

    def vendor_type_fields(self) -> list[forms.BoundField]:
        """The per-vendor order type fields, in the order the lines need the vendors."""
        return [self[f"type_for_{vendor.pk}"] for vendor in self.untyped]

    def order_types(self) -> dict[int, ProductionOrderType]:
        """The order types chosen per vendor (by vendor id), as the service takes them."""
        chosen = {
            vendor.pk: self.cleaned_data.get(f"type_for_{vendor.pk}") for vendor in self.untyped
        }
        return {pk: kind for pk, kind in chosen.items() if kind is not None}


class OrderEditForm(forms.Form):
    """What the studio records on an order; the service checks amounts and the vendor's number."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    vendor_number = forms.CharField(
        label="Vendor's order number",
        required=False,
        max_length=20,
        help_text="The vendor's own number for this order, unique per vendor. Empty for none.",
    )
    vendor_invoice_amount = forms.CharField(
        label="Vendor invoice amount",
        required=False,
        help_text="What the vendor charged, e.g. 42.50.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    priority_code = forms.ModelChoiceField(
        queryset=PriorityCode.objects.none(), required=False, empty_label="No priority"
    )
    studio_notes = forms.CharField(
        label="Studio notes",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For the studio only: printed on the work order.",
    )
    vendor_notes = forms.CharField(
        label="Vendor notes",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For the vendor: printed on the purchase order.",
    )

    # What the order is and who handled it (production/order_edits.py), kept in its history.
    # Not required by the form: a post without them (an older page) leaves them as they are;
    # one that sends them empty is refused in clean().
    order_type = forms.ModelChoiceField(
        queryset=ProductionOrderType.objects.none(),
        label="Order type",
        required=False,
        empty_label=None,
        help_text="A new type keeps the order's status if its cycle has a status of the same "
        "name; otherwise the order starts again at that cycle's first status.",
    )
    order_date = forms.DateField(label="Order date", widget=DATE, required=False)
    entered_by = PersonField(
        queryset=get_user_model().objects.none(), label="Entered by", required=False
    )
    completed_by = PersonField(
        queryset=get_user_model().objects.none(),
        label="Completed by",
        required=False,
        help_text="Who finished the order (it is in its final status).",
    )

    field_order = ["order_type", "order_date", "entered_by", "completed_by"]

    def __init__(self, *args: Any, order: ProductionOrder, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An order keeps showing a code that was retired after it was chosen.
        codes = PriorityCode.objects.filter(Q(is_inactive=False) | Q(pk=order.priority_code_id))
        self.fields["priority_code"].queryset = codes
        self._order_fields(order)

    def _order_fields(self, order: ProductionOrder) -> None:
        """Active types and people, and whichever the order has now. A finished order keeps
        its type (its field is shown, disabled) and names who completed it; an open one has
        nobody who completed it yet (no field)."""
        kind = self.fields["order_type"]
        kind.queryset = ProductionOrderType.objects.filter(  # type: ignore[attr-defined]
            Q(is_inactive=False) | Q(pk=order.order_type_id)
        )
        if order.completed_date is not None:
            kind.disabled = True
            kind.help_text = "A finished order's type can't be changed."
        people = get_user_model()._default_manager.order_by("first_name", "last_name", "username")
        self.fields["entered_by"].queryset = people.filter(  # type: ignore[attr-defined]
            Q(is_active=True) | Q(pk=order.entered_by_id)
        )
        if order.completed_date is None:
            del self.fields["completed_by"]
        else:
            self.fields["completed_by"].queryset = people.filter(  # type: ignore[attr-defined]
                Q(is_active=True) | Q(pk=order.completed_by_id)
            )

    ORDER_FIELDS = {
        "order_type": "Choose the order type.",
        "order_date": "Give the order date (YYYY-MM-DD).",
        "entered_by": "Choose who entered the order.",
        "completed_by": "Choose who completed the order.",
    }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, message in self.ORDER_FIELDS.items():
            sent = name in self.fields and name in self.data and not self.fields[name].disabled
            if sent and data.get(name) is None and name not in self.errors:
                self.add_error(name, message)
        return data

    def order_edits(self) -> dict[str, Any]:
        """The order's type, date and people sent, as ``production_order_update`` takes them."""
        return {
            name: self.cleaned_data[name]
            for name in self.ORDER_FIELDS
            if name in self.fields and name in self.data and not self.fields[name].disabled
        }

    @classmethod
    def of(cls, order: ProductionOrder) -> OrderEditForm:
        return cls(
            order=order,
            initial={
                "version": order.version,
                "vendor_number": order.vendor_number or "",
                "vendor_invoice_amount": (
                    f"{order.vendor_invoice_amount:.2f}"
                    if order.vendor_invoice_amount is not None
                    else ""
                ),
                "priority_code": order.priority_code_id,
                "studio_notes": order.studio_notes,
                "vendor_notes": order.vendor_notes,
                "order_type": order.order_type_id,
                "order_date": order.order_date,
                "entered_by": order.entered_by_id,
                "completed_by": order.completed_by_id,
            },
        )

    def changes(self) -> dict[str, Any]:
        """The fields as ``production_order_update`` takes them."""
        data = self.cleaned_data
        return {
            "vendor_number": data["vendor_number"],
            "vendor_invoice_amount": data["vendor_invoice_amount"].strip(),
            "priority_code": data["priority_code"],
            "studio_notes": data["studio_notes"],
            "vendor_notes": data["vendor_notes"],
        }


class ReorderForm(forms.Form):
    """Why the order is redone (one of the studio's active reorder reasons)."""

    reason = forms.ModelChoiceField(
        queryset=ReorderReason.objects.none(),
        label="Reorder reason",
        empty_label="Choose why…",
        error_messages={"required": "Choose why the order is redone."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = ReorderReason.objects.filter(is_inactive=False)


class ProofOrderForm(forms.Form):
    """A session's proofs sent to a vendor; a vendor that numbers its orders gives its number."""

    vendor = forms.ModelChoiceField(
        queryset=Vendor.objects.none(),
        empty_label="Choose a vendor…",
        error_messages={"required": "Choose the vendor the proofs go to."},
    )
    vendor_number = forms.CharField(
        label="Vendor's order number",
        required=False,
        max_length=20,
        help_text="Optional: empty takes the vendor's next number when it numbers its orders. "
        "The order gets the studio's own number either way.",
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = active_vendors()


class ProofOrderEditForm(forms.Form):
    """What the studio records on a proof order; ``preproduction_order_update`` checks it."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    vendor_number = forms.CharField(
        label="Vendor's order number",
        required=False,
        max_length=20,
        help_text="The vendor's own number for this order, unique per vendor. Empty for none.",
    )
    vendor_invoice_amount = forms.CharField(
        label="Preproduction cost",
        required=False,
        help_text="What the vendor charged for the proofs, e.g. 18.50. Empty: not known yet.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    notes = forms.CharField(
        required=False, strip=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def of(cls, order: PreproductionOrder) -> ProofOrderEditForm:
        amount = order.vendor_invoice_amount
        return cls(
            initial={
                "version": order.version,
                "vendor_number": order.vendor_number or "",
                "vendor_invoice_amount": f"{amount:.2f}" if amount is not None else "",
                "notes": order.notes,
            }
        )

    def changes(self) -> dict[str, Any]:
        """The fields as ``preproduction_order_update`` takes them."""
        data = self.cleaned_data
        return {
            "vendor_number": data["vendor_number"],
            "vendor_invoice_amount": data["vendor_invoice_amount"].strip(),
            "notes": data["notes"],
        }
