"""The Details section of a production order's page: its lines, and adding, changing, moving and
deleting them (``production/_details.html``).

With htmx each action answers the section alone, plus the history section out of band, so the
line and the history row it wrote appear together; the person's focus stays where it was (the
buttons keep their ids), Escape leaves an edit. Without JavaScript the same forms post to the
same addresses and land on the order's *Detail lines* page. Every form carries the order's
version: a change saved by someone else meanwhile comes back as a conflict, with the person's
input kept and the section showing the lines as they are now.

Shown read-only to people who can't change orders, and once the order is final.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from darkroom.catalog.models import OrderKind, PriceListItem, RenderProfile
from darkroom.errors import Conflict, DarkroomError
from darkroom.form_errors import add_service_errors
from darkroom.production.models import ProductionOrder, ProductionOrderDetail
from darkroom.production.services import details
from darkroom.production.services.image_names import image_list
from darkroom.studio.access import may, requires
from darkroom.tracking.views.changes import status_section

VIEW_ORDERS = "production.view_productionorder"
CHANGE_ORDERS = "production.change_productionorder"
MANY_IMAGES = 12  # more than this and a line's names fold away behind their count


class ItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.identifier} — {obj.description}"


class DetailForm(forms.Form):
    """A line as the section's forms send it; the service decides what is allowed."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    item = ItemChoice(queryset=PriceListItem.objects.none(), empty_label="Choose an item…")
    quantity = forms.IntegerField(
        initial=1, widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"})
    )
    description = forms.CharField(
        required=False,
        max_length=200,
        help_text="Empty: the item's own description.",
    )
    image_names = forms.CharField(
        label="Image names",
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "data-image-names": "",
                "spellcheck": "false",
                "placeholder": "IMG_0012.jpg, IMG_0013.jpg",
            }
        ),
        help_text="Type or paste them: one per line, or separated by commas.",
    )
    notes = forms.CharField(
        required=False,
        max_length=details.NOTES_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    vendor_product_code = forms.CharField(
        label="Vendor code",
        required=False,
        max_length=40,
        help_text="Empty on a new line: the vendor's code for the item.",
    )
    render_profile = forms.ModelChoiceField(
        queryset=RenderProfile.objects.none(),
        required=False,
        empty_label="The item's profile",
    )

    def __init__(
        self,
        *args: Any,
        order: ProductionOrder,
        line: ProductionOrderDetail | None = None,
        prefix: str = "add",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, prefix=prefix, **kwargs)
        self.line = line
        items = PriceListItem.objects.filter(is_inactive=False)
        profiles = RenderProfile.objects.filter(is_inactive=False)
        if line is not None:  # a retired item or profile may stay on the line that has it
            items = items | PriceListItem.objects.filter(pk=line.item_id)
            profiles = profiles | RenderProfile.objects.filter(pk=line.render_profile_id)
            self.fields["render_profile"].empty_label = "None"
            self.fields["vendor_product_code"].help_text = ""
        self.fields["item"].queryset = items.order_by("identifier")  # type: ignore[attr-defined]
        self.fields["render_profile"].queryset = profiles.order_by("name")  # type: ignore[attr-defined]
        if order.order_type.kind != OrderKind.PRINT:
            del self.fields["image_names"]
        for name, field in self.fields.items():
            if name != "version":
                field.widget.attrs.setdefault("autocomplete", "off")

    @classmethod
    def of(cls, order: ProductionOrder, line: ProductionOrderDetail) -> DetailForm:
        initial = {
            "version": order.version,
            "item": line.item_id,
            "quantity": line.quantity,
            "description": line.description,
            "image_names": line.image_names,
            "notes": line.notes,
            "vendor_product_code": line.vendor_product_code,
            "render_profile": line.render_profile_id,
        }
        return cls(initial=initial, order=order, line=line, prefix=f"line-{line.pk}")

    def changes(self) -> dict[str, Any]:
        """The fields as the services take them (a new line: the ones given)."""
        data = dict(self.cleaned_data)
        data.pop("version")
        if self.line is None and not data.get("vendor_product_code"):
            data["vendor_product_code"] = None  # the vendor's code for the item
        return data


# -- what the section shows ----------------------------------------------------------------------


def _order(pk: int) -> ProductionOrder:
    orders = ProductionOrder.objects.select_related("status", "order_type", "vendor", "client")
    return get_object_or_404(orders, pk=pk)


def _rows(order: ProductionOrder, focus: str) -> list[dict[str, Any]]:
    lines = order.details.select_related("item", "render_profile").order_by("position", "id")
    rows = []
    for line in lines:
        names = image_list(line)
        rows.append(
            {
                "line": line,
                "images": names,
                "image_count": len(names),
                "images_folded": len(names) > MANY_IMAGES,
                "focused": focus == f"edit-{line.pk}",
            }
        )
    return rows


def details_section(
    request: HttpRequest,
    order: ProductionOrder,
    *,
    form: DetailForm | None = None,
    editing: DetailForm | None = None,
    problem: str = "",
    focus: str = "",
) -> dict[str, Any]:
    """What ``production/_details.html`` needs (``{"details_section": …}``): the lines, whether
    they may change and why not, the add form, the line being edited."""
    final = order.status is not None and order.status.is_final
    allowed = may(request, CHANGE_ORDERS)
    why_not = ""
    if final:
        why_not = f"This order is “{order.status}”, its final status: its lines can't change."
    elif order.status_id is None and allowed:
        why_not = "This order has not entered its status cycle yet: start it to add lines."
    can_change = allowed and not final and order.status_id is not None
    rows = _rows(order, focus)
    if can_change and form is None:
        form = DetailForm(initial={"version": order.version}, order=order)
        if focus == "add":  # ready for the next line
            form.fields["item"].widget.attrs["autofocus"] = True
    if editing is not None and not editing.is_bound:
        editing.fields["item"].widget.attrs["autofocus"] = True
    return {
        "details_section": {
            "order": order,
            "rows": rows,
            "count": len(rows),
            # A generic order shows the images its lines had before its type became generic.
            "with_images": order.order_type.kind == OrderKind.PRINT
            or any(row["image_count"] for row in rows),
            "can_change": can_change,
            "why_not": why_not,
            "form": form if can_change else None,
            "editing": editing,
            "problem": problem,
            "focus": focus,
            "urls": {
                "section": reverse("production:order-details", args=[order.pk]),
                "page": order.get_absolute_url(),
            },
        }
    }


def _answer(
    request: HttpRequest, order: ProductionOrder, *, status: int = 200, **section: Any
) -> HttpResponse:
    """The section (htmx, with the history out of band) or the *Detail lines* page."""
    context = {"order": order, **details_section(request, order, **section)}
    if request.htmx:
        context.update(status_section(request, order))
        return render(request, "production/details_answer.html", context, status=status)
    return render(request, "production/order_details_page.html", context, status=status)


def _done(request: HttpRequest, order: ProductionOrder, focus: str) -> HttpResponse:
    """After a change: the section as it is now (htmx), else back to the order's page."""
    if request.htmx:
        return _answer(request, _order(order.pk), focus=focus)
    return redirect(f"{order.get_absolute_url()}#details")


def _refused(
    request: HttpRequest,
    order: ProductionOrder,
    exc: DarkroomError | ValidationError,
    form: DetailForm | None = None,
    *,
    editing: bool = False,
) -> HttpResponse:
    """A refusal: a conflict shows the lines as they are now (the input kept, at the order's
    new version, so saving again replaces theirs); other refusals beside the form's fields."""
    now = _order(order.pk)
    if isinstance(exc, ValidationError):
        if form is not None:
            add_service_errors(form, exc)
            problem = ""
        else:
            problem = " ".join(exc.messages)
        status = 422
    else:
        problem, status = exc.message, exc.status if isinstance(exc, Conflict) else 422
        if form is not None and isinstance(exc, Conflict):
            data = form.data.copy()
            data[form.add_prefix("version")] = str(now.version)
            form = type(form)(data, order=now, line=form.line, prefix=form.prefix)
            form.is_valid()
    section: dict[str, Any] = {"problem": problem, "status": status}
    if form is not None:
        section["editing" if editing else "form"] = form
    return _answer(request, now, **section)


# -- the actions ---------------------------------------------------------------------------------


@requires(VIEW_ORDERS)
def order_details(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the section (htmx) or the order's *Detail lines* page. POST: add a line."""
    order = _order(pk)
    if request.method != "POST":
        return _answer(request, order)
    if not may(request, CHANGE_ORDERS):
        raise PermissionDenied("Your role does not allow changing orders.")
    form = DetailForm(request.POST, order=order)
    if not form.is_valid():
        return _answer(request, order, form=form, status=422)
    try:
        details.production_order_detail_add(
            order=order,
            expected_version=form.cleaned_data["version"],
            by=request.user,
            **form.changes(),
        )
    except (ValidationError, DarkroomError) as exc:
        return _refused(request, order, exc, form)
    return _done(request, order, "add")


def _line(order: ProductionOrder, detail_pk: int) -> ProductionOrderDetail:
    return get_object_or_404(
        ProductionOrderDetail.objects.select_related("item", "render_profile"),
        pk=detail_pk,
        order_id=order.pk,
    )


@requires(VIEW_ORDERS, CHANGE_ORDERS)
def order_detail_edit(request: HttpRequest, pk: int, detail_pk: int) -> HttpResponse:
    """GET: the line as a form, in its row. POST: save it."""
    order = _order(pk)
    line = _line(order, detail_pk)
    if request.method != "POST":
        return _answer(request, order, editing=DetailForm.of(order, line))
    form = DetailForm(request.POST, order=order, line=line, prefix=f"line-{line.pk}")
    if not form.is_valid():
        return _answer(request, order, editing=form, status=422)
    try:
        details.production_order_detail_update(
            detail=line,
            expected_version=form.cleaned_data["version"],
            by=request.user,
            **form.changes(),
        )
    except (ValidationError, DarkroomError) as exc:
        return _refused(request, order, exc, form, editing=True)
    return _done(request, order, f"edit-{line.pk}")


def _version(request: HttpRequest) -> int | None:
    text = request.POST.get("version", "")
    return int(text) if text.isdigit() and len(text) < 10 else None


@require_POST
@requires(VIEW_ORDERS, CHANGE_ORDERS)
def order_detail_move(request: HttpRequest, pk: int, detail_pk: int) -> HttpResponse:
    """Move a line one place up or down (``direction``)."""
    order = _order(pk)
    line = _line(order, detail_pk)
    direction = request.POST.get("direction", "")
    try:
        if direction not in ("up", "down"):
            raise ValidationError("Move a line up or down.")
        details.production_order_detail_move(
            detail=line, expected_version=_version(request), by=request.user, direction=direction
        )  # type: ignore[arg-type]
    except (ValidationError, DarkroomError) as exc:
        return _refused(request, order, exc)
    return _done(request, order, f"{direction}-{line.pk}")


@require_POST
@requires(VIEW_ORDERS, CHANGE_ORDERS)
def order_detail_delete(request: HttpRequest, pk: int, detail_pk: int) -> HttpResponse:
    """Delete a line (the lines after it move up)."""
    order = _order(pk)
    line = _line(order, detail_pk)
    try:
        details.production_order_detail_delete(
            detail=line, expected_version=_version(request), by=request.user
        )  # type: ignore[arg-type]
    except (ValidationError, DarkroomError) as exc:
        return _refused(request, order, exc)
    return _done(request, order, "add")
