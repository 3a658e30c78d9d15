"""Detail lines entered on the order's page print on its work order and purchase order: every
image name, wrapped across the page (never cut short), and the line's notes — read back from
the PDF with poppler."""

from __future__ import annotations

import pytest

from darkroom.catalog.models import OrderKind
from darkroom.production.documents import purchase_order_pdf, work_order_pdf
from darkroom.production.services import details
from tests.production.test_documents import pages_text
from tests.production.test_order_details import make_shop, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(db):
    return make_shop()


def add(shop, order, **fields):
    return details.production_order_detail_add(
        order=order, expected_version=version(order), by=shop.person, **fields
    )


@pytest.mark.parametrize("build", [work_order_pdf, purchase_order_pdf])
def test_lines_print_with_their_image_names_and_notes(shop, tmp_path, build):
    order = shop.print_order
    names = [f"WEDDING_SMITH_JONES_{n:04d}.jpg" for n in range(60)]
    add(shop, order, item=shop.print_item, quantity=2, image_names=", ".join(names))
    add(shop, order, item=shop.wallet, notes="Trim 2 mm & <keep> the border\nMatte finish")
    order.refresh_from_db()
    text = "\n".join(pages_text(build(order), tmp_path))
    flat = " ".join(text.split())
    assert "60 images:" in flat
    for name in names:  # every name, none cut short
        assert name in text, name
    assert "Notes: Trim 2 mm & <keep> the border" in flat and "Matte finish" in flat
    assert "—" not in text.split("60 images:")[1].split("WEDDING_SMITH_JONES_0059.jpg")[0]
    # The names wrap within the page: no printed line runs past the right margin.
    assert max(len(line) for line in text.splitlines()) < 140


def test_a_generic_orders_lines_print_their_notes(shop, tmp_path):
    order = shop.album_order
    assert order.order_type.kind == OrderKind.GENERIC
    add(shop, order, item=shop.album_item, quantity=3, notes="Linen cover, gilt edges")
    order.refresh_from_db()
    flat = " ".join("\n".join(pages_text(work_order_pdf(order), tmp_path)).split())
    assert "Wedding album" in flat and "Notes: Linen cover, gilt edges" in flat
    assert "images:" not in flat
