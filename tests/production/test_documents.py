"""Work orders and purchase orders read back the way a person and a scanner read them.

The PDFs are read with poppler (``pdftotext``, ``pdftoppm``) and the barcodes decoded from a
200 dpi rendering with zbar (``zbarimg``): real programs, as a printer and a scan station would.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import subprocess
from pathlib import Path

import pytest

from darkroom.catalog.models import OrderKind
from darkroom.formats import format_date
from darkroom.production.api.documents import MOST_ORDERS
from darkroom.production.documents import (
    Document,
    orders_for_printing,
    orders_pdf,
    purchase_order_pdf,
    work_order_pdf,
)
from darkroom.production.models import ProductionOrderDetail
from darkroom.production.scans import scan_look_up
from darkroom.studio.models import StudioPreferences
from darkroom.tracking.models import CycleKind
from darkroom.tracking.services import record_start
from tests.factories import (
    ClientFactory,
    InvoiceFactory,
    OrderTypeFactory,
    PriceListItemFactory,
    ProductionOrderFactory,
    RenderProfileFactory,
    SessionFactory,
    UserFactory,
    VendorFactory,
    cycle_with_statuses,
    started_proof_order,
)

NO_SYMBOL = 4  # zbarimg's exit status when the image holds no barcode
ORDERS = itertools.count(1)  # names of vendors, order types, items... are unique


# -- reading a PDF back --------------------------------------------------------------------------


def _write(pdf: bytes, folder: Path) -> Path:
    assert pdf.startswith(b"%PDF-")
    path = folder / "document.pdf"
    path.write_bytes(pdf)
    return path


def pages_text(pdf: bytes, folder: Path) -> list[str]:
    """Each page's text, as ``pdftotext -layout`` extracts it."""
    path = _write(pdf, folder)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return out.split("\f")[:-1]  # every page ends with a form feed


def pages_barcodes(pdf: bytes, folder: Path) -> list[list[str]]:
    """What zbarimg decodes on each page rendered at 200 dpi (an empty list: no barcode)."""
    path = _write(pdf, folder)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(path), str(folder / "page")], check=True)
    found = []
    for image in sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1])):
        scan = subprocess.run(
            ["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True
        )
        if scan.returncode == NO_SYMBOL:
            found.append([])
        else:
            assert scan.returncode == 0, scan.stderr
            found.append(scan.stdout.splitlines())
    return found


# -- orders --------------------------------------------------------------------------------------


@pytest.fixture
def studio(db) -> StudioPreferences:
    return StudioPreferences.objects.create(
        pk=1,
        name="Lumen Portrait Studio",
        address="12 Harbour Lane\nPortsmouth",
        phone="+44 23 9000 0000",
        email="hello@lumen.example",
    )


def make_order(*, number: str | None = "PO-4711", kind: str = OrderKind.GENERIC, lines: int = 3):
    n = next(ORDERS)
    vendor = VendorFactory(
        name=f"Bay Photo Lab {n}",
        address="920 Disc Drive\nScotts Valley",
        account_number="AC-99812",
    )
    client = ClientFactory(first_name="Ada", last_name="Lovelace")
    invoice = InvoiceFactory(client=client, approximate_delivery_date=dt.date(2026, 3, 20))
    order = ProductionOrderFactory(
        invoice=invoice,
        vendor=vendor,
        order_type=OrderTypeFactory(name=f"Album Order {n}", kind=kind),
        number=number,
        shipping_address="Studio back door\n12 Harbour Lane",
        studio_notes="Client is picky about skin tones",
        vendor_notes="Please pack flat",
    )
    profile = RenderProfileFactory(name=f"Lustre 8x10 {n}")
    for position in range(lines):
        ProductionOrderDetail.objects.create(
            order=order,
            position=position,
            item=PriceListItemFactory(identifier=f"ALB{n}X{position}", description="Leather album"),
            description=f"Line {position} description",
            quantity=position + 1,
            vendor_product_code=f"VPC-{position:03d}",
            render_profile=profile,
            image_names=f"IMG_{position:04d}.jpg\nIMG_{position:04d}b.jpg",
        )
    return order


# -- the work order ------------------------------------------------------------------------------


def test_work_order_says_everything_about_the_order(studio, tmp_path):
    order = make_order()
    cycle_with_statuses(
        name="Albums", order_type=order.order_type, steps=[("Sent to lab", 3)], final="Received"
    )
    record_start(record=order, started_on=dt.date(2026, 3, 2), by=order.entered_by)
    order.refresh_from_db()

    [page] = pages_text(work_order_pdf(orders_for_printing([order.pk])[0]), tmp_path)

    for expected in (
        "Lumen Portrait Studio",
        "hello@lumen.example",
        "Work order PO-4711",
        "Bay Photo Lab",
        "Album Order",
        "Lovelace",
        order.invoice.number,
        "Mar 2, 2026",  # order date (the studio's date format)
        "Mar 20, 2026",  # promised
        "Sent to lab",
        format_date(order.status_due_date),
        "Client is picky about skin tones",
        "Please pack flat",
        "VPC-002",
        "Line 1 description",
        "Lustre 8x10",
        "ALB",
    ):
        assert expected in page, expected
    assert "images:" not in page  # a generic order has no image names
    assert "IMG_0000.jpg" not in page


def test_print_orders_list_their_image_names(studio, tmp_path):
    order = make_order(kind=OrderKind.PRINT)
    [page] = pages_text(work_order_pdf(order), tmp_path)
    assert "2 images: IMG_0000.jpg, IMG_0000b.jpg" in page
    assert "IMG_0002b.jpg" in page


def test_user_text_prints_literally(studio, tmp_path):
    order = make_order()
    order.studio_notes = "<b>Rush</b> & <i>fragile</i> </para>"
    order.vendor_notes = 'Tom & Jerry\'s "album" <br/>'
    order.client.last_name = "O'Brien & <Sons>"
    order.client.save()
    order.save()

    [page] = pages_text(work_order_pdf(orders_for_printing([order.pk])[0]), tmp_path)

    assert "<b>Rush</b> & <i>fragile</i> </para>" in page
    assert 'Tom & Jerry\'s "album" <br/>' in page
    assert "O'Brien & <Sons>" in page


def test_unusual_characters_never_break_a_document(studio, tmp_path):
    order = make_order(number="Ø-12")  # Code 128 can't encode it: printed, not barred
    order.studio_notes = "Zoë — 山田 📷 " + "x" * 600  # an unbroken word wider than the page
    order.save()
    pdf = work_order_pdf(order)
    assert "Zo" in pages_text(pdf, tmp_path)[0]
    assert pages_barcodes(pdf, tmp_path) == [[]]


def test_a_detail_with_hundreds_of_images_flows_over_pages(studio, tmp_path):
    order = make_order(kind=OrderKind.PRINT, lines=1)
    names = [f"WED_{n:04d}.jpg" for n in range(1000)]
    order.details.update(image_names="\n".join(names))
    pages = pages_text(work_order_pdf(order), tmp_path)
    assert 2 <= len(pages) <= 4  # the pages fill up: about 350 names a page
    text = "".join(pages)
    assert "1,000 images: WED_0000.jpg" in " ".join(text.split())
    printed = re.findall(r"WED_\d{4}\.jpg", text)
    assert printed == names  # every name once, whole, in order: none cut at a page's end
    assert max(len(line) for line in text.splitlines()) < 140  # within the right margin


# -- the purchase order --------------------------------------------------------------------------


def test_purchase_order_is_for_the_vendor_and_keeps_studio_notes_in(studio, tmp_path):
    order = make_order(kind=OrderKind.PRINT)

    [page] = pages_text(purchase_order_pdf(order), tmp_path)

    for expected in (
        "Lumen Portrait Studio",
        "Purchase order PO-4711",
        "Bay Photo Lab",
        "920 Disc Drive",
        "Account number: AC-99812",
        "Studio back door",
        "Mar 2, 2026",
        "Please pack flat",
        "VPC-001",
        "Line 2 description",
        "Lustre 8x10",
        "IMG_0001b.jpg",
    ):
        assert expected in page, expected
    assert "Client is picky" not in page
    assert "Studio notes" not in page
    head = next(line for line in page.splitlines() if "Qty" in line)
    assert head.index("Vendor code") < head.index("Item") < head.index("Description")


# -- barcodes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("build", [work_order_pdf, purchase_order_pdf])
def test_the_order_number_scans_from_the_lower_right_corner(studio, tmp_path, build):
    pdf = build(make_order(number="PO-4711"))
    assert pages_barcodes(pdf, tmp_path) == [["PO-4711"]]
    # Crop the page to its lower right quarter: the barcode is there.
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-singlefile", "-x", "850", "-y", "1100", "-W", "850",
         "-H", "1100", str(tmp_path / "document.pdf"), str(tmp_path / "corner")],
        check=True,
    )  # fmt: skip
    corner = subprocess.run(
        ["zbarimg", "--raw", "-q", str(tmp_path / "corner.png")], capture_output=True, text=True
    )
    assert (corner.returncode, corner.stdout.strip()) == (0, "PO-4711")
    assert "PO-4711" in pages_text(pdf, tmp_path)[0].splitlines()[-1]  # printed under the bars


def test_an_order_saved_without_a_number_takes_the_studios_next_and_its_barcode(studio, tmp_path):
    order = make_order(number=None)
    assert order.number and order.number.isdigit()
    assert pages_barcodes(work_order_pdf(order), tmp_path) == [[order.number]]


def test_a_long_order_carries_its_barcode_on_every_page(studio, tmp_path):
    order = make_order(number="88123", lines=40)
    pdf = work_order_pdf(orders_for_printing([order.pk])[0])
    barcodes = pages_barcodes(pdf, tmp_path)
    assert len(barcodes) >= 2
    assert barcodes == [["88123"]] * len(barcodes)
    pages = pages_text(pdf, tmp_path)
    assert all("Lumen Portrait Studio" in page and "Qty" in page for page in pages)
    assert "Line 0 description" in pages[0] and "Line 39 description" in pages[-1]
    assert "Please pack flat" in pages[-1]


def test_a_batch_starts_each_order_on_its_own_page(studio, tmp_path):
    orders = [make_order(number=number, lines=2) for number in ("A-1", "B-22", "C-333")]
    orders[1].vendor_notes = "Second order's note"
    orders[1].save()
    ids = [orders[2].pk, orders[0].pk, orders[1].pk]

    pdf = orders_pdf(orders_for_printing(ids), Document.PURCHASE_ORDER)

    assert pages_barcodes(pdf, tmp_path) == [["C-333"], ["A-1"], ["B-22"]]
    pages = pages_text(pdf, tmp_path)
    assert ["Purchase order C-333" in pages[0], "Purchase order A-1" in pages[1]] == [True, True]
    assert "Second order's note" in pages[2] and "Second order's note" not in pages[1]


def test_orders_for_printing_loads_a_batch_in_a_fixed_number_of_queries(
    studio, django_assert_num_queries
):
    ids = [make_order(number=f"N{n}", kind=OrderKind.PRINT).pk for n in range(4)]
    with django_assert_num_queries(2):  # the orders with their relations, then their details
        orders = orders_for_printing([*reversed(ids), 10**9])
    assert [o.pk for o in orders] == list(reversed(ids))
    with django_assert_num_queries(0):
        orders_pdf(orders, Document.WORK_ORDER, studio=studio)


# -- the API -------------------------------------------------------------------------------------


@pytest.mark.parametrize("document", ["work-order", "purchase-order"])
def test_api_serves_each_document_to_readers(api, studio, tmp_path, document):
    order = make_order(number="PO-1")
    answer = api("readonly").get(f"/api/v1/production-orders/{order.pk}/{document}.pdf")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert f'filename="{document}-PO-1.pdf"' in answer["Content-Disposition"]
    assert pages_barcodes(answer.content, tmp_path) == [["PO-1"]]


def test_api_refuses_strangers_and_unknown_orders(api, studio):
    order = make_order()
    url = f"/api/v1/production-orders/{order.pk}/work-order.pdf"
    assert api(None).get(url).status_code == 401
    for missing in (order.pk + 1000, 2**63, 0):
        answer = api("readonly").get(f"/api/v1/production-orders/{missing}/work-order.pdf")
        assert answer.status_code == 404, missing
        assert answer.json()["code"] == "not_found"
    batch = api(None).post("production-orders/print", {"ids": [order.pk], "document": "po"})
    assert batch.status_code == 401


def test_api_prints_a_batch(api, studio, tmp_path):
    orders = [make_order(number=f"B{n}", lines=1) for n in range(3)]
    answer = api("readonly").post(
        "production-orders/print",
        {"ids": [o.pk for o in orders] + [orders[0].pk], "document": "work-order"},
    )
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"] == "application/pdf"
    assert "work-orders.pdf" in answer["Content-Disposition"]
    assert pages_barcodes(answer.content, tmp_path) == [["B0"], ["B1"], ["B2"]]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"ids": [1]},
        {"ids": [], "document": "work-order"},
        {"ids": [1], "document": "invoice"},
        {"ids": ["one"], "document": "work-order"},
        {"ids": [-1], "document": "work-order"},
        {"ids": [2**64], "document": "work-order"},
        {"ids": list(range(1, MOST_ORDERS + 2)), "document": "work-order"},
        {"ids": [1], "document": "work-order", "extra": True},
        [1, 2],
    ],
)
def test_api_refuses_a_bad_batch(api, studio, body):
    make_order()
    answer = api("readonly").post("production-orders/print", body)
    assert answer.status_code == 422, body
    assert answer.json()["code"] == "invalid"


def test_api_names_the_unknown_ids_of_a_batch(api, studio):
    order = make_order()
    answer = api("readonly").post(
        "production-orders/print",
        {"ids": [order.pk, order.pk + 500, order.pk + 700], "document": "purchase-order"},
    )
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid"
    assert [error["input"] for error in body["errors"]] == [order.pk + 500, order.pk + 700]
    assert [error["loc"] for error in body["errors"]] == [["body", "ids", 1], ["body", "ids", 2]]
    assert str(order.pk + 500) in body["detail"] and str(order.pk + 700) in body["detail"]


# -- a proof order's work order ------------------------------------------------------------------


def test_a_proof_orders_work_order_carries_its_barcode_and_the_scan_finds_it(api, studio, tmp_path):
    """The number a proof order's barcode carries is the studio's: the scan station reads it
    back to this one order, never to a production order of the same vendor."""
    cycle_with_statuses(
        kind=CycleKind.PREPRODUCTION, name="Proofs", steps=[("Proofs at the lab", 3)], final=None
    )
    order = make_order()  # a production order numbered by hand "PO-4711", same count
    proof = started_proof_order(
        session=SessionFactory(client=ClientFactory(first_name="Grace", last_name="Hopper")),
        vendor=order.vendor,
        by=UserFactory(),
        vendor_number="LAB-88",
        notes="Matte proofs, 5x7\n<b>rush</b>",
    )
    answer = api("readonly").get(f"/api/v1/preproduction-orders/{proof.pk}/work-order.pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert f'filename="proof-work-order-{proof.number}.pdf"' in answer["Content-Disposition"]
    [text] = pages_text(answer.content, tmp_path)
    for expected in (
        f"Work order {proof.number}",
        "Vendor's number",
        "LAB-88",
        order.vendor.name,
        "Grace Hopper",
        "Proofs at the lab",
        "Matte proofs, 5x7",
        "<b>rush</b>",
        "Lumen Portrait Studio",
    ):
        assert expected in text, expected
    assert pages_barcodes(answer.content, tmp_path) == [[proof.number]]
    found = scan_look_up(raw=proof.number)
    assert found.ok and found.order == proof
    for missing in (proof.pk + 1000, 2**63):
        gone = api("readonly").get(f"/api/v1/preproduction-orders/{missing}/work-order.pdf")
        assert gone.status_code == 404
    assert (
        api(None).get(f"/api/v1/preproduction-orders/{proof.pk}/work-order.pdf").status_code == 401
    )
