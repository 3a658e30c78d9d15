"""What the large studio is made of: how many years, people and vendors, the share of open
orders, its departments, its order types with their steps, the invoice and proof cycles, the
services no vendor makes, and the names its clients and vendors are given.

Change a figure here and the same seed makes another studio (the hub's benchmark seeds anew).
"""

from __future__ import annotations

from darkroom.catalog.models import ItemType, OrderKind

YEARS = 10
OPEN_SHARE = 0.05
USERS = 50
VENDORS = 200
FRONT_DESK, RETOUCHING, PRINTING = "Front Desk", "Retouching", "Print & Finishing"
DESIGN, FRAMING, SHIPPING = "Design", "Framing", "Shipping"
DEPARTMENTS = (FRONT_DESK, RETOUCHING, PRINTING, DESIGN, FRAMING, SHIPPING)

# (description, business days, default department, default user: index into the people, or None)
StepSpec = tuple[str, int, str | None, int | None]

# Order type -> (kind, item type of its products, steps): 6 to 8 steps, the last one final.
ORDER_TYPES: dict[str, tuple[str, str, tuple[StepSpec, ...]]] = {
    "Lab Print Order": (
        OrderKind.PRINT,
        ItemType.PRINT,
        (
            ("Ordered", 1, PRINTING, None),
            ("Files Prepared", 1, RETOUCHING, None),
            ("Sent to Lab", 2, PRINTING, None),
            ("At the Lab", 4, None, None),
            ("Received from Lab", 1, PRINTING, None),
            ("Quality Check", 1, PRINTING, 2),
            ("Ready for Pickup", 0, None, None),
        ),
    ),
    "Album Order": (
        OrderKind.GENERIC,
        ItemType.ALBUM,
        (
            ("Design", 5, DESIGN, None),
            ("Client Approval", 7, FRONT_DESK, None),
            ("Sent to Bindery", 2, PRINTING, None),
            ("At the Bindery", 10, None, None),
            ("Received from Bindery", 1, PRINTING, None),
            ("Quality Check", 1, PRINTING, 3),
            ("Ready for Pickup", 0, None, None),
        ),
    ),
    "Canvas Order": (
        OrderKind.PRINT,
        ItemType.PRINT,
        (
            ("Ordered", 1, PRINTING, None),
            ("Sent to Lab", 2, PRINTING, None),
            ("At the Lab", 5, None, None),
            ("Received", 1, SHIPPING, None),
            ("Stretch Check", 1, FRAMING, None),
            ("Ready for Pickup", 0, None, None),
        ),
    ),
    "Framing Order": (
        OrderKind.GENERIC,
        ItemType.FRAME,
        (
            ("Ordered", 1, FRAMING, None),
            ("Frame Chosen", 3, FRONT_DESK, None),
            ("At the Framer", 8, None, None),
            ("Received", 1, SHIPPING, None),
            ("Fitted and Checked", 1, FRAMING, 4),
            ("Wrapped", 1, SHIPPING, None),
            ("Ready for Pickup", 0, None, None),
        ),
    ),
    "Retouch Order": (
        OrderKind.GENERIC,
        ItemType.SERVICE,
        (
            ("Queued", 1, RETOUCHING, None),
            ("Retouching", 3, RETOUCHING, None),
            ("Review", 1, RETOUCHING, 1),
            ("Client Proof", 5, FRONT_DESK, None),
            ("Final Edits", 2, RETOUCHING, None),
            ("Exported", 0, None, None),
        ),
    ),
    "Wall Art Order": (
        OrderKind.PRINT,
        ItemType.PRINT,
        (
            ("Ordered", 1, FRONT_DESK, None),
            ("Layout", 3, DESIGN, None),
            ("Client Approval", 5, FRONT_DESK, None),
            ("Sent to Lab", 1, PRINTING, None),
            ("At the Lab", 7, None, None),
            ("Received", 1, SHIPPING, None),
            ("Installation Check", 1, FRAMING, None),
            ("Ready for Pickup", 0, None, None),
        ),
    ),
    "Digital Delivery": (
        OrderKind.GENERIC,
        ItemType.DIGITAL,
        (
            ("Queued", 1, RETOUCHING, None),
            ("Culling", 2, RETOUCHING, None),
            ("Editing", 3, RETOUCHING, None),
            ("Review", 1, RETOUCHING, 1),
            ("Uploading", 1, SHIPPING, None),
            ("Gallery Sent", 0, None, None),
        ),
    ),
    "Press Print Order": (
        OrderKind.PRINT,
        ItemType.PRINT,
        (
            ("Ordered", 1, PRINTING, None),
            ("Color Check", 1, RETOUCHING, None),
            ("Sent to Press", 2, PRINTING, None),
            ("At the Press", 5, None, None),
            ("Received", 1, SHIPPING, None),
            ("Trim and Pack", 1, SHIPPING, None),
            ("Ready for Pickup", 0, None, None),
        ),
    ),
}
INVOICE_STEPS: tuple[StepSpec, ...] = (
    ("Entered", 0, FRONT_DESK, None),
    ("In Production", 10, PRINTING, None),
    ("Ready for Pickup", 3, FRONT_DESK, None),
    ("Picked Up", 0, None, None),
)
PROOF_STEPS: tuple[StepSpec, ...] = (
    ("Proofs Prepared", 2, RETOUCHING, None),
    ("Proofs at Lab", 3, None, None),
    ("Proofs with Client", 5, FRONT_DESK, None),
    ("Proofs Approved", 0, None, None),
)
# Price list items no vendor makes: (identifier, description, price).
SERVICES = (
    ("SCFEE", "Session fee", "150.00"),
    ("SCRUSH", "Rush handling", "40.00"),
    ("SCSHIP", "Shipping", "12.50"),
)
SESSION_TYPES = ("Wedding", "Portrait", "Newborn", "Family", "School", "Event")
PRIORITIES = (("Rush", "Wanted as soon as possible"), ("Season", "Wedding season"), ("VIP", ""))
_FIRST_NAMES = (
    "Ada Ben Chloe Dev Emma Farid Grace Hugo Iris Jonas Kira Liam Maya Noah Olga Pablo Quinn "
    "Rosa Sami Tara Umar Vera Wes Xenia Yara Zane Alma Bruno Cleo Dario Elif Femi Gita Hana "
    "Ivo Jade"
)
FIRST_NAMES = tuple(_FIRST_NAMES.split())
_LAST_NAMES = (
    "Abbott Baker Costa Diaz Evans Fischer Garcia Hughes Ito Jensen Kowalski Lopez Moreau "
    "Novak Okafor Patel Quint Rossi Silva Tanaka Ueda Varga Weber Xu Young Zhang Arendt "
    "Becker Chen Dubois Eriksen Fontaine Gallo Horvat Ibarra Jovanovic Keller Lindqvist "
    "Murphy Nakamura"
)
LAST_NAMES = tuple(_LAST_NAMES.split())
_PLACES = (
    "Harbor Bay Summit Cedar Northgate Riverside Lakeview Granite Meadow Pioneer Beacon "
    "Copper Willow Silver Oak Hillcrest Ironwood Maple Seaside"
)
PLACES = tuple(_PLACES.split())
VENDOR_WORDS = ("Photo Lab", "Imaging", "Bindery", "Frames", "Print Works", "Digital", "Canvas Co")
