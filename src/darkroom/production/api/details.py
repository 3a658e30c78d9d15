"""A production order's detail lines over the API: list, add, change, delete, put in order.

``GET /production-orders/{id}/details`` lists the lines in order (``{"results", "next_cursor"}``
like every list; an order's lines are one page). Every write sends the order's ``version`` (from
the order, or ``order_version`` of any line) and answers with ``order_version``, the version to
send next: a stale one is 409 ``conflict`` and nothing is written. An order in its final status
refuses every write (400 ``final``). The rules are the pages' (``production/services/details.py``).
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator, ConfigDict, WithJsonSchema
from pydantic_core import PydanticCustomError

from darkroom.api.answers import NamedRef, named_ref
from darkroom.api.auth import permitted
from darkroom.api.errors import READ_ERRORS, WRITE_ERRORS
from darkroom.api.fields import Id, Text, left_out
from darkroom.api.lists import list_of, whole_list
from darkroom.api.lookups import named_record, path_id
from darkroom.catalog.models import PriceListItem, RenderProfile
from darkroom.database_limits import LARGEST_VERSION
from darkroom.production.models import ProductionOrder, ProductionOrderDetail
from darkroom.production.services import details
from darkroom.production.services.image_names import image_list

router = Router(tags=["production"])

VIEW = "production.view_productionorder"
CHANGE = "production.change_productionorder"

VERSION = Field(
    ..., ge=1, le=LARGEST_VERSION, description="The order's version read (409 if stale)"
)
IMAGES = (
    "Print orders only: the image names, as a list or as pasted text (one per line, or "
    "separated by commas, semicolons or tabs); kept trimmed, without blanks or repeats"
)


def _pasted(value: Any) -> Any:
    # A list of names is taken as the names one per line: the service reads both the same way.
    if isinstance(value, list):
        if not all(isinstance(name, str) for name in value):
            raise PydanticCustomError("image_names", "Send image names as text or a list of texts.")
        return "\n".join(value)
    return value


ImageNames = Annotated[
    Text,
    BeforeValidator(_pasted),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
            "description": IMAGES,
        }
    ),
]


class DetailLineOut(Schema):
    id: int
    position: int = Field(..., description="The line's number on the order: 1, 2, 3…")
    invoice_line: int | None = Field(..., description="The invoice line it came from, if any")
    item: int
    item_identifier: str
    description: str
    quantity: int
    vendor_product_code: str
    render_profile: NamedRef | None
    image_names: str = Field(..., description="One name per line")
    image_count: int
    notes: str
    order_version: int = Field(..., description="The order's version: send it with a change")


# An order's lines are one short list: every line, first to last, next_cursor null.
DetailsPage = list_of(DetailLineOut, "DetailLineList")


class DetailIn(Schema):
    """A line to add at the end of the order."""

    model_config = ConfigDict(extra="forbid")

    version: int = VERSION
    item: Id = Field(..., description="A price list item's id")
    quantity: int = Field(1, description=f"1 to {details.MOST_QUANTITY:,}")
    description: Text = Field("", max_length=200, description="Default: the item's")
    vendor_product_code: Text | None = Field(
        None, max_length=40, description="Default: the vendor's code for the item"
    )
    render_profile: Id | None = Field(None, description="Default: the item's render profile")
    image_names: ImageNames = ""
    notes: Text = Field("", max_length=details.NOTES_LENGTH)


class DetailPatch(Schema):
    """Change a line; the fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    version: int = VERSION
    item: Id = left_out()
    quantity: int = left_out()
    description: Text = left_out(max_length=200, description="Empty: the item's again")
    vendor_product_code: Text = left_out(max_length=40)
    render_profile: Id | None = left_out(description="Null: none")
    image_names: ImageNames = left_out()
    notes: Text = left_out(max_length=details.NOTES_LENGTH)


class DetailsOrderIn(Schema):
    """The order's lines, first to last: every line's id, once each."""

    model_config = ConfigDict(extra="forbid")

    version: int = VERSION
    ids: list[Id] = Field(..., max_length=10_000)


class DeleteQuery(Schema):
    version: int = VERSION


def _line(detail: ProductionOrderDetail, order_version: int) -> dict[str, Any]:
    return {
        "id": detail.pk,
        "position": detail.position,
        "invoice_line": detail.invoice_line_id,
        "item": detail.item_id,
        "item_identifier": detail.item.identifier,
        "description": detail.description,
        "quantity": detail.quantity,
        "vendor_product_code": detail.vendor_product_code,
        "render_profile": named_ref(detail.render_profile),
        "image_names": detail.image_names,
        "image_count": len(image_list(detail)),
        "notes": detail.notes,
        "order_version": order_version,
    }


def _order(order_id: int) -> ProductionOrder:
    return ProductionOrder.objects.get(pk=path_id(order_id))


def _detail(order_id: int, detail_id: int) -> ProductionOrderDetail:
    """The line, if it is a line of that order (else 404)."""
    return ProductionOrderDetail.objects.select_related("order").get(
        pk=path_id(detail_id), order_id=path_id(order_id)
    )


def _page(order_id: int) -> dict[str, Any]:
    version = ProductionOrder.objects.values_list("version", flat=True).get(pk=order_id)
    lines = ProductionOrderDetail.objects.filter(order_id=order_id).select_related(
        "item", "render_profile"
    )
    return whole_list(lines, lambda line: _line(line, version))


def _answer(detail_id: int) -> dict[str, Any]:
    line = ProductionOrderDetail.objects.select_related("item", "render_profile", "order").get(
        pk=detail_id
    )
    return _line(line, line.order.version)


@router.get(
    "/production-orders/{int:id}/details",
    operation_id="production_order_details_list",
    summary="A production order's detail lines, first to last",
    response={200: DetailsPage, **READ_ERRORS},
    auth=permitted(VIEW),
)
def list_details(request: HttpRequest, id: int) -> Any:
    return _page(_order(id).pk)


@router.post(
    "/production-orders/{int:id}/details",
    operation_id="production_order_details_create",
    summary="Add a detail line at the end of an order",
    response={201: DetailLineOut, **WRITE_ERRORS},
    auth=permitted(CHANGE),
)
def add_detail(request: HttpRequest, id: int, payload: DetailIn) -> Any:
    order = _order(id)
    detail = details.production_order_detail_add(
        order=order,
        expected_version=payload.version,
        by=request.user,
        item=named_record(PriceListItem, "item", payload.item),
        quantity=payload.quantity,
        description=payload.description,
        vendor_product_code=payload.vendor_product_code,
        render_profile=named_record(RenderProfile, "render_profile", payload.render_profile),
        image_names=payload.image_names,
        notes=payload.notes,
    )
    return Status(201, _answer(detail.pk))


# The fixed path first, so "order" is never taken for a line's id.
@router.put(
    "/production-orders/{int:id}/details/order",
    operation_id="production_order_details_order_update",
    summary="Put an order's detail lines in a new order",
    response={200: DetailsPage, **WRITE_ERRORS},
    auth=permitted(CHANGE),
)
def reorder_details(request: HttpRequest, id: int, payload: DetailsOrderIn) -> Any:
    order = _order(id)
    details.production_order_details_reorder(
        order=order, expected_version=payload.version, by=request.user, ids=payload.ids
    )
    return _page(order.pk)


@router.patch(
    "/production-orders/{int:id}/details/{int:detail_id}",
    operation_id="production_order_details_update",
    summary="Change a detail line",
    response={200: DetailLineOut, **WRITE_ERRORS},
    auth=permitted(CHANGE),
)
def update_detail(request: HttpRequest, id: int, detail_id: int, payload: DetailPatch) -> Any:
    detail = _detail(id, detail_id)
    fields = {name: getattr(payload, name) for name in payload.model_fields_set - {"version"}}
    if "item" in fields:
        fields["item"] = named_record(PriceListItem, "item", fields["item"])
    if "render_profile" in fields:
        fields["render_profile"] = named_record(
            RenderProfile, "render_profile", fields["render_profile"]
        )
    details.production_order_detail_update(
        detail=detail, expected_version=payload.version, by=request.user, **fields
    )
    return _answer(detail.pk)


@router.delete(
    "/production-orders/{int:id}/details/{int:detail_id}",
    operation_id="production_order_details_delete",
    summary="Delete a detail line (the lines after it move up)",
    description="Send the order's version as `?version=`.",
    response={204: None, **WRITE_ERRORS},
    auth=permitted(CHANGE),
)
def delete_detail(request: HttpRequest, id: int, detail_id: int, params: Query[DeleteQuery]) -> Any:
    detail = _detail(id, detail_id)
    details.production_order_detail_delete(
        detail=detail, expected_version=params.version, by=request.user
    )
    return Status(204, None)
