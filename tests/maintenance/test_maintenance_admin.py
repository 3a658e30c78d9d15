"""The Django admin uses the same services: it shows everything, and can't break a rule."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from darkroom.catalog.models import Vendor
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    root = get_user_model().objects.create_superuser("root", "root@example.com", "x-9-long-pass")
    client.force_login(root)
    return client


def test_every_studio_record_has_an_admin_page(superuser_client):
    ours = [
        m for m in admin.site._registry if m._meta.app_label in ("studio", "catalog", "clients")
    ]
    assert len(ours) >= 15
    for model in ours:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert superuser_client.get(url).status_code == 200, model


def test_admin_refuses_to_delete_a_vendor_in_use(superuser_client):
    vendor = f.VendorFactory(name="Busy Lab")
    f.PriceListItemFactory(preferred_vendor=vendor)
    url = reverse("admin:catalog_vendor_delete", args=[vendor.pk])
    response = superuser_client.post(url, {"post": "yes"}, follow=True)
    assert Vendor.objects.filter(pk=vendor.pk).exists()
    assert "Cannot delete vendor" in response.content.decode()


def test_admin_validates_like_the_pages(superuser_client):
    f.PriceListItemFactory(identifier="8X10")
    url = reverse("admin:catalog_pricelistitem_add")
    response = superuser_client.post(
        url,
        {
            "identifier": "8x10",
            "description": "Dup",
            "item_type": "print",
            "price": "1",
            "cost": "0",
        },
    )
    assert response.status_code == 200
    assert "already has this identifier" in response.content.decode()


def test_invoices_are_read_only_in_the_admin(superuser_client):
    invoice = f.InvoiceFactory()
    url = reverse("admin:clients_invoice_change", args=[invoice.pk])
    page = superuser_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
