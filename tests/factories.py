"""factory_boy factories for the studio's records (valid by default, override what a test needs)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from darkroom.catalog import models as catalog
from darkroom.clients import models as clients
from darkroom.production.numbers import order_numbers_take
from darkroom.studio import models as studio


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = studio.Department

    name = factory.Sequence(lambda n: f"Department {n}")


class OrderTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalog.ProductionOrderType

    name = factory.Sequence(lambda n: f"Order type {n}")
    position = factory.Sequence(lambda n: n + 1)


class RenderProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalog.RenderProfile

    name = factory.Sequence(lambda n: f"Profile {n}")
    size = "8x10 in"
    dpi = 300


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalog.Vendor

    name = factory.Sequence(lambda n: f"Vendor {n}")
    email = factory.Sequence(lambda n: f"orders{n}@vendor.example")


class PriceListItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalog.PriceListItem

    identifier = factory.Sequence(lambda n: f"ITEM{n}")
    description = factory.Sequence(lambda n: f"Item {n}")
    price = Decimal("25.00")
    cost = Decimal("8.00")
    preferred_vendor = factory.SubFactory(VendorFactory)


class VendorProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalog.VendorProduct

    vendor = factory.SubFactory(VendorFactory)
    item = factory.SubFactory(PriceListItemFactory)
    product_code = factory.Sequence(lambda n: f"VP-{n}")


class ReorderReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalog.ReorderReason

    description = factory.Sequence(lambda n: f"Reason {n}")


class PriorityCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = catalog.PriorityCode

    code = factory.Sequence(lambda n: f"P{n}")
    position = factory.Sequence(lambda n: n + 1)


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = clients.Client

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Faker("email")
    mobile = "+15550100"


class SessionTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = clients.SessionType

    name = factory.Sequence(lambda n: f"Session type {n}")
    position = factory.Sequence(lambda n: n + 1)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = clients.Session

    client = factory.SubFactory(ClientFactory)
    session_type = factory.SubFactory(SessionTypeFactory)
    date = dt.date(2026, 10, 1)


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = clients.Invoice

    client = factory.SubFactory(ClientFactory)
    invoice_date = dt.date(2026, 10, 5)


class InvoiceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = clients.InvoiceLine

    invoice = factory.SubFactory(InvoiceFactory)
    item = factory.SubFactory(PriceListItemFactory)
    quantity = 1
    price = Decimal("25.00")


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = clients.Payment

    invoice = factory.SubFactory(InvoiceFactory)
    date = dt.date(2026, 10, 5)
    amount = Decimal("10.00")


class ProductionOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "production.ProductionOrder"

    invoice = factory.SubFactory(InvoiceFactory)
    vendor = factory.SubFactory(VendorFactory)
    order_type = factory.SubFactory(OrderTypeFactory)
    number = factory.LazyFunction(lambda: order_numbers_take(1)[0])  # as the services give them
    order_date = factory.LazyFunction(lambda: dt.date(2026, 3, 2))
    promised_date = factory.SelfAttribute("invoice.approximate_delivery_date")
    client = factory.SelfAttribute("invoice.client")
    entered_by = factory.SubFactory(UserFactory)
