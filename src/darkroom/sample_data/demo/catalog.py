"""What the demo studio sells and who makes it: order types, render profiles, vendors, the price
list, vendors' product codes, reorder reasons and priority codes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from darkroom.catalog.models import ItemType, OrderKind

LAB_PRINT = "Lab Print Order"
ALBUM = "Album Order"
RETOUCH = "Retouch Only"

ORDER_TYPES = (
    (LAB_PRINT, OrderKind.PRINT),
    (ALBUM, OrderKind.GENERIC),
    (RETOUCH, OrderKind.GENERIC),
)


@dataclass(frozen=True)
class DemoRenderProfile:
    name: str
    size: str
    dpi: int
    bleed_mm: Decimal
    destination: str


LUSTRE = "Lab lustre print"
CANVAS = "Gallery wrap canvas"
SPREAD = "Album spread"
PRINT_ROOM = "Print room small prints"

RENDER_PROFILES = (
    DemoRenderProfile(LUSTRE, "sized to order", 300, Decimal("0"), "Prairie Photo Lab FTP"),
    DemoRenderProfile(CANVAS, "16x20 in and up", 200, Decimal("38.1"), "Gallery Canvas upload"),
    DemoRenderProfile(SPREAD, "20x10 in spread", 300, Decimal("3"), "Heirloom design portal"),
    DemoRenderProfile(PRINT_ROOM, "up to 8x10 in", 300, Decimal("0"), "Print room hot folder"),
)


@dataclass(frozen=True)
class DemoVendor:
    name: str
    order_type: str | None
    account_number: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    notes: str = ""
    in_house: bool = False
    auto_numbers: bool = False
    # Where the vendor's numbers start (vendors that don't number their orders: the "#"
    # action's); the ranges don't meet, so a scanned number names one order.
    next_number: int = 1
    ftp_host: str = ""
    ftp_user: str = ""
    ftp_folder: str = ""


PRINT_ROOM_VENDOR = "In-house Print Room"
RETOUCHING = "Retouching Studio (in-house)"
PRAIRIE = "Prairie Photo Lab"
NORTHLIGHT = "Northlight Pro Lab"
HEIRLOOM = "Heirloom Album Co."
BINDERY = "Bindery & Leaf"
CANVAS_WORKS = "Gallery Canvas Works"
FRAMER = "Oak & Iron Framing"

VENDORS = (
    DemoVendor(
        PRINT_ROOM_VENDOR,
        LAB_PRINT,
        in_house=True,
        auto_numbers=True,
        next_number=1001,
        notes="Epson printer for prints up to 13×19 in, wallet sheets and proofs.",
    ),
    DemoVendor(
        RETOUCHING,
        RETOUCH,
        in_house=True,
        notes="Priya's queue: skin, colour, head swaps and composites.",
        next_number=501,
    ),
    DemoVendor(
        PRAIRIE,
        LAB_PRINT,
        account_number="PPL-20417",
        email="orders@prairiephotolab.example",
        phone="(402) 555-0117",
        address="820 Industrial Parkway\nLincoln, NE 68508",
        notes="Lustre and metallic prints. Three business days plus UPS Ground.",
        auto_numbers=True,
        next_number=48213,
        ftp_host="ftp.prairiephotolab.example",
        ftp_user="lumengrain",
        ftp_folder="/incoming/orders",
    ),
    DemoVendor(
        NORTHLIGHT,
        LAB_PRINT,
        account_number="NL-7731",
        email="studio-orders@northlightpro.example",
        phone="(612) 555-0180",
        address="55 Harbor Road\nMinneapolis, MN 55401",
        notes="Large formats, metal and acrylic; our second lab when Prairie is busy.",
        next_number=3101,
    ),
    DemoVendor(
        HEIRLOOM,
        ALBUM,
        account_number="HA-11890",
        email="design@heirloomalbum.example",
        phone="(503) 555-0132",
        address="2100 NW Quimby Street\nPortland, OR 97210",
        notes="Flush-mount albums. Spreads are approved on their portal before printing.",
        auto_numbers=True,
        next_number=2207,
    ),
    DemoVendor(
        BINDERY,
        ALBUM,
        account_number="BL-3306",
        email="orders@binderyandleaf.example",
        phone="(414) 555-0148",
        address="730 N Water Street\nMilwaukee, WI 53202",
        notes="Parent albums, keepsake books and USB boxes.",
        next_number=880,
    ),
    DemoVendor(
        CANVAS_WORKS,
        LAB_PRINT,
        account_number="GCW-5120",
        email="hello@gallerycanvas.example",
        phone="(317) 555-0109",
        address="14 Monument Circle\nIndianapolis, IN 46204",
        notes="Gallery wraps on 1.5 in stretcher bars.",
        auto_numbers=True,
        next_number=7340,
    ),
    DemoVendor(
        FRAMER,
        None,
        account_number="OI-0482",
        email="frames@oakandiron.example",
        phone="(312) 555-0166",
        address="1120 W Fulton Market\nChicago, IL 60607",
        notes="Local framer: prints go over on Tuesdays. Order type chosen per order.",
        next_number=410,
    ),
)


@dataclass(frozen=True)
class DemoItem:
    identifier: str
    description: str
    item_type: ItemType
    group: str
    price: str
    cost: str
    vendor: str | None = None  # None: the studio delivers it itself (fees, digital files)
    render_profile: str | None = None


P, A, F, D, S = ItemType.PRINT, ItemType.ALBUM, ItemType.FRAME, ItemType.DIGITAL, ItemType.SERVICE

# fmt: off
PRICE_LIST = (
    DemoItem("4X6", "4×6 in print", P, "Prints", "6.00", "0.40", PRINT_ROOM_VENDOR, PRINT_ROOM),
    DemoItem("5X7", "5×7 in print", P, "Prints", "12.00", "0.90", PRINT_ROOM_VENDOR, PRINT_ROOM),
    DemoItem("8X10", "8×10 in lustre print", P, "Prints", "25.00", "2.10", PRAIRIE, LUSTRE),
    DemoItem("11X14", "11×14 in lustre print", P, "Prints", "45.00", "5.50", PRAIRIE, LUSTRE),
    DemoItem("16X20", "16×20 in lustre print", P, "Prints", "85.00", "12.00", PRAIRIE, LUSTRE),
    DemoItem("20X30", "20×30 in print", P, "Prints", "140.00", "22.00", NORTHLIGHT),
    DemoItem("24X36", "24×36 in print", P, "Prints", "195.00", "31.00", NORTHLIGHT),
    DemoItem("WALLETS8", "Wallet sheet (8 wallets)", P, "Prints", "18.00", "1.20",
             PRINT_ROOM_VENDOR, PRINT_ROOM),
    DemoItem("METAL1216", "12×16 in metal print", P, "Wall art", "160.00", "48.00", NORTHLIGHT),
    DemoItem("CANV1620", "16×20 in canvas wrap", P, "Wall art", "220.00", "65.00",
             CANVAS_WORKS, CANVAS),
    DemoItem("CANV2030", "20×30 in canvas wrap", P, "Wall art", "320.00", "95.00",
             CANVAS_WORKS, CANVAS),
    DemoItem("CANV3040", "30×40 in canvas wrap", P, "Wall art", "450.00", "140.00",
             CANVAS_WORKS, CANVAS),
    DemoItem("ACRY1620", "16×20 in acrylic face mount", P, "Wall art", "280.00", "90.00",
             NORTHLIGHT),
    DemoItem("ALB10", "10×10 in heirloom album, 20 pages", A, "Albums", "1200.00", "380.00",
             HEIRLOOM, SPREAD),
    DemoItem("ALB12", "12×12 in heirloom album, 30 pages", A, "Albums", "1650.00", "520.00",
             HEIRLOOM, SPREAD),
    DemoItem("ALBPAR8", "8×8 in parent album", A, "Albums", "450.00", "160.00", BINDERY, SPREAD),
    DemoItem("ALBSPREAD", "Additional album spread", A, "Albums", "60.00", "18.00", HEIRLOOM,
             SPREAD),
    DemoItem("BOOK8", "8×8 in keepsake book", A, "Albums", "250.00", "70.00", BINDERY, SPREAD),
    DemoItem("USBBOX", "Wooden USB keepsake box", ItemType.OTHER, "Keepsakes", "75.00", "22.00",
             BINDERY),
    DemoItem("FRM8X10", "Black wood frame, 8×10 in", F, "Frames", "95.00", "30.00", FRAMER),
    DemoItem("FRM11X14", "Walnut frame, 11×14 in", F, "Frames", "135.00", "42.00", FRAMER),
    DemoItem("FRM16X20", "Gallery frame with mat, 16×20 in", F, "Frames", "210.00", "70.00",
             FRAMER),
    DemoItem("RETBASIC", "Basic retouch (per image)", S, "Retouching", "15.00", "0.00",
             RETOUCHING),
    DemoItem("RETADV", "Advanced retouch (per image)", S, "Retouching", "45.00", "0.00",
             RETOUCHING),
    DemoItem("RETSWAP", "Head swap (per image)", S, "Retouching", "35.00", "0.00", RETOUCHING),
    DemoItem("DIGWEB", "Web-size digital files", D, "Digital", "150.00", "0.00"),
    DemoItem("DIGFULL", "Full-resolution digital gallery", D, "Digital", "450.00", "0.00"),
    DemoItem("SESSFEE", "Session fee", S, "Sessions", "250.00", "0.00"),
    DemoItem("WEDCOV8", "Wedding coverage, 8 hours", S, "Sessions", "3200.00", "0.00"),
    DemoItem("RUSH", "Rush fee", S, "Sessions", "50.00", "0.00"),
)
# fmt: on

# (vendor, item identifier, the vendor's product code, its description)
VENDOR_PRODUCTS = (
    (PRAIRIE, "8X10", "LUS-0810", "Lustre 8x10"),
    (PRAIRIE, "11X14", "LUS-1114", "Lustre 11x14"),
    (HEIRLOOM, "ALB10", "FM-1010-20", "Flush mount 10x10, 20 pp"),
    (CANVAS_WORKS, "CANV1620", "GW-1620-15", "Gallery wrap 16x20, 1.5 in"),
)

# (description, non-chargeable: the vendor's fault, so the client doesn't pay again)
REORDER_REASONS = (
    ("Lab colour error", True),
    ("Damaged in shipping", True),
    ("Client changed crop", False),
    ("Client chose another image", False),
)

PRIORITY_CODES = (
    ("Rush", "Promised within a week: goes to the front of every queue"),
    ("Normal", "The usual turnaround"),
    ("Low", "Fit it in when the queues are quiet"),
)

# A print lab line sometimes goes to the other lab (a backlog, a special paper).
OVERRIDES = {"8X10": NORTHLIGHT, "11X14": NORTHLIGHT, "16X20": NORTHLIGHT, "5X7": PRAIRIE}
