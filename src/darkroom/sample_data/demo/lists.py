"""The demo's lists, written from its tables through the maintenance services: departments, the
catalog (order types, render profiles, vendors, the price list, vendor products, reorder reasons,
priority codes), the status cycles, session types, message templates and triggers. A list entry
the studio already has by that name is kept as it is.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TypeVar

from django.contrib.auth.models import AbstractUser
from django.db.models import Model

from darkroom.catalog.models import (
    PriceListItem,
    PriorityCode,
    ProductionOrderType,
    RenderProfile,
    ReorderReason,
    Vendor,
    VendorProduct,
)
from darkroom.clients.models import SessionType
from darkroom.messaging.models import MessageTemplate
from darkroom.messaging.trigger_services import trigger_create
from darkroom.record_writes import record_save
from darkroom.sample_data.demo import catalog, messages
from darkroom.sample_data.demo.clientele import SESSION_TYPES
from darkroom.sample_data.demo.cycles import CYCLES, FOR_CLIENTS
from darkroom.sample_data.demo.people import DEPARTMENTS
from darkroom.studio.models import Department
from darkroom.tracking.models import Cycle, cycle_scope
from darkroom.tracking.services import cycle_create, status_add

M = TypeVar("M", bound=Model)


def _named(model: type[M], lookup: dict[str, object], **fields: object) -> M:
    """The studio's record of that name if it has one (kept as it is), else a new one."""
    existing = model.objects.filter(**lookup).first()  # type: ignore[attr-defined]
    return existing or record_save(record=model(**lookup, **fields))


def departments_save() -> dict[str, Department]:
    return {
        name: _named(Department, {"name": name}, description=description)
        for name, description in DEPARTMENTS
    }


def catalog_save() -> tuple[dict[str, PriceListItem], dict[str, Vendor]]:
    order_types = {
        name: _named(ProductionOrderType, {"name": name}, kind=kind)
        for name, kind in catalog.ORDER_TYPES
    }
    profiles = {
        p.name: _named(
            RenderProfile,
            {"name": p.name},
            size=p.size,
            dpi=p.dpi,
            bleed_mm=p.bleed_mm,
            destination=p.destination,
        )
        for p in catalog.RENDER_PROFILES
    }
    vendors = {
        v.name: record_save(
            record=Vendor(
                name=v.name,
                account_number=v.account_number,
                email=v.email,
                phone=v.phone,
                address=v.address,
                notes=v.notes,
                is_in_house=v.in_house,
                auto_assigns_numbers=v.auto_numbers,
                next_order_number=v.next_number,
                default_order_type=order_types[v.order_type] if v.order_type else None,
                ftp_host=v.ftp_host,
                ftp_user=v.ftp_user,
                ftp_folder=v.ftp_folder,
            )
        )
        for v in catalog.VENDORS
    }
    items = {
        i.identifier: record_save(
            record=PriceListItem(
                identifier=i.identifier,
                description=i.description,
                item_type=i.item_type,
                group=i.group,
                price=Decimal(i.price),
                cost=Decimal(i.cost),
                preferred_vendor=vendors[i.vendor] if i.vendor else None,
                render_profile=profiles[i.render_profile] if i.render_profile else None,
            )
        )
        for i in catalog.PRICE_LIST
    }
    for vendor, identifier, code, description in catalog.VENDOR_PRODUCTS:
        record_save(
            record=VendorProduct(
                vendor=vendors[vendor],
                item=items[identifier],
                product_code=code,
                description=description,
            )
        )
    for description, non_chargeable in catalog.REORDER_REASONS:
        _named(ReorderReason, {"description": description}, is_non_chargeable=non_chargeable)
    for code, description in catalog.PRIORITY_CODES:
        _named(PriorityCode, {"code": code}, description=description)
    return items, vendors


def cycles_save(departments: dict[str, Department]) -> None:
    """The studio's status cycles; a cycle the studio already has is kept as it is."""
    for row in CYCLES:
        order_type = (
            ProductionOrderType.objects.get(name=row.order_type) if row.order_type else None
        )
        scope = cycle_scope(row.kind, order_type.pk if order_type else None, None)
        if Cycle.objects.filter(scope=scope).exists():
            continue
        cycle = cycle_create(kind=row.kind, name=row.name, order_type=order_type)
        last = len(row.steps) - 1
        for index, (description, days, department) in enumerate(row.steps):
            for_clients = FOR_CLIENTS.get((row.name, description), "")
            status_add(
                cycle=cycle,
                description=description,
                default_duration=days,
                default_department=departments.get(department) if department else None,
                is_final=index == last,
                client_visible=bool(for_clients),
                client_name=for_clients,
            )


def triggers_save(departments: dict[str, Department], by: AbstractUser) -> None:
    """The studio's message templates and triggers (``demo.messages``)."""
    templates = {
        name: record_save(
            record=MessageTemplate(name=name, channel=channel, subject=subject, body=body)
        )
        for name, channel, subject, body in messages.TEMPLATES
    }
    for row in messages.TRIGGERS:
        cycle = Cycle.objects.get(name=row.cycle)
        trigger_create(
            by=by,
            name=row.name,
            cycle=cycle,
            status=cycle.statuses.get(description=row.status),
            when=row.when,
            days=row.days,
            action=row.action,
            processing=row.processing,
            template=templates.get(row.template),
            fallback_template=templates.get(row.fallback_template),
            task_subject=row.task_subject,
            task_department=departments.get(row.task_department),
            hold_until_business_hours=row.hold_until_business_hours,
            skip_do_not_market=row.skip_do_not_market,
            skip_do_not_call=row.skip_do_not_call,
        )


def session_types_save() -> dict[str, SessionType]:
    return {name: _named(SessionType, {"name": name}) for name in SESSION_TYPES}
