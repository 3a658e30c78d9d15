"""The demo studio's clients, the kinds of shoot it offers and what each kind of client buys."""

from __future__ import annotations

from dataclasses import dataclass

# Each kind of shoot, with what its clients order. The first item is what is sold at the shoot
# itself (a fee or the coverage; none of them has a vendor), the rest are what clients pick after.
SESSION_TYPES = {
    "Wedding": ("WEDCOV8", "ALB10", "ALBPAR8", "CANV2030", "8X10", "DIGFULL", "RETADV"),
    "Family": ("SESSFEE", "8X10", "11X14", "CANV1620", "5X7", "FRM11X14", "RETSWAP", "DIGWEB"),
    "Newborn": ("SESSFEE", "BOOK8", "8X10", "CANV1620", "RETBASIC", "5X7", "FRM8X10"),
    "Senior Portrait": ("SESSFEE", "WALLETS8", "5X7", "8X10", "RETBASIC", "METAL1216", "DIGWEB"),
    "Headshot": ("SESSFEE", "RETADV", "DIGWEB", "RETBASIC", "8X10"),
    "Event": ("DIGFULL", "4X6", "5X7", "USBBOX", "RUSH", "20X30"),
}

# What clients come back for weeks later: more prints, wall art, albums.
LATER_ORDERS = {
    "Wedding": ("ALB12", "ALBPAR8", "ALBSPREAD", "CANV3040", "ACRY1620", "16X20"),
    "other": ("8X10", "5X7", "11X14", "16X20", "24X36", "CANV3040", "FRM16X20", "4X6"),
}

# The kind of shoot a returning client books next.
RETURNS_FOR = {
    "Wedding": "Family",
    "Family": "Family",
    "Newborn": "Family",
    "Senior Portrait": "Headshot",
    "Headshot": "Headshot",
    "Event": "Event",
}


@dataclass(frozen=True)
class DemoClient:
    first_name: str
    last_name: str
    shoot: str  # the kind of their first session
    lead_source: str
    email: str
    mobile: str
    address: str
    phone: str = ""
    do_not_market: bool = False
    do_not_call: bool = False
    notes: str = ""


C = DemoClient

# fmt: off
CLIENTS = (
    C("Amelia", "Hart", "Newborn", "Instagram", "amelia.hart@example.com", "(773) 555-0141",
      "2418 N Kedzie Blvd\nChicago, IL 60647"),
    C("Marcus", "Bennett", "Headshot", "Google search", "m.bennett@example.net", "(312) 555-0172",
      "600 W Madison St, Apt 1204\nChicago, IL 60661"),
    C("Sofia", "Delgado", "Senior Portrait", "Referral", "sofia.delgado@example.org",
      "(708) 555-0113", "1315 S Oak Park Ave\nBerwyn, IL 60402"),
    C("Ethan", "Nakamura", "Headshot", "LinkedIn", "ethan@nakamura-law.example", "",
      "233 S Wacker Dr, Suite 4400\nChicago, IL 60606", phone="(312) 555-0190"),
    C("Grace", "Okonkwo", "Family", "Repeat client", "grace.okonkwo@example.com", "(847) 555-0128",
      "914 Judson Ave\nEvanston, IL 60202"),
    C("Liam", "O'Connor", "Family", "Referral", "liam.oconnor@example.net", "(773) 555-0155",
      "5540 N Glenwood Ave\nChicago, IL 60640"),
    C("Hannah", "Weiss", "Newborn", "Instagram", "hannah.weiss@example.com", "(847) 555-0104",
      "1820 Wilmette Ave\nWilmette, IL 60091"),
    C("Diego", "Ramírez", "Senior Portrait", "Facebook", "", "(773) 555-0167",
      "3226 W 26th St\nChicago, IL 60623", do_not_market=True),
    C("Chloe & Sam", "Fontaine", "Wedding", "Wedding fair", "chloe.sam@example.org",
      "(312) 555-0124", "1507 N Dearborn Pkwy\nChicago, IL 60610",
      notes="Ceremony at the Rookery; reception at Galleria Marchetti."),
    C("Noah", "Abernathy", "Family", "Google search", "noah.abernathy@example.org",
      "(630) 555-0149", "418 S Washington St\nNaperville, IL 60540"),
    C("Aisha", "Rahman", "Newborn", "Referral", "aisha.rahman@example.com", "(847) 555-0136",
      "2707 Central St\nEvanston, IL 60201"),
    C("Benjamin", "Kowalski", "Senior Portrait", "Facebook", "ben.kowalski@example.net", "",
      "6012 W Addison St\nChicago, IL 60634", phone="(708) 555-0121", do_not_call=True),
    C("Olivia", "Chen", "Headshot", "LinkedIn", "olivia.chen@example.com", "(312) 555-0118",
      "1 E Erie St, Apt 2101\nChicago, IL 60611"),
    C("Mateo & Lucia", "Rossi", "Wedding", "Wedding fair", "rossi.wedding@example.org",
      "(773) 555-0183", "2250 W Roscoe St\nChicago, IL 60618"),
    C("Isabella", "Novak", "Family", "Instagram", "isabella.novak@example.com", "(630) 555-0162",
      "77 Forest Ave\nRiverside, IL 60546"),
    C("Samuel", "Adeyemi", "Headshot", "Google search", "sam.adeyemi@example.net",
      "(312) 555-0107", ""),
    C("Emma", "Lindgren", "Newborn", "Repeat client", "emma.lindgren@example.org",
      "(847) 555-0175", "1036 Elmwood Ave\nEvanston, IL 60202"),
    C("Jackson", "Reed", "Senior Portrait", "Referral", "jreed.senior@example.com",
      "(630) 555-0151", "1412 Maple Ave\nDowners Grove, IL 60515"),
    C("Anjali", "Mehta", "Family", "Instagram", "anjali.mehta@example.com", "(847) 555-0110",
      "1547 Ridge Ave\nEvanston, IL 60201"),
    C("Lucas", "Moreau", "Headshot", "Walk-in", "", "(773) 555-0192", "",
      notes="Pays cash; prefers a phone call to email."),
    C("Zoe", "Papadopoulos", "Senior Portrait", "Instagram", "zoe.papadopoulos@example.net",
      "(708) 555-0144", "7320 W Lake St\nRiver Forest, IL 60305"),
    C("Gabriel", "Santos", "Family", "Facebook", "gabriel.santos@example.org", "(773) 555-0126",
      "4841 N Lincoln Ave\nChicago, IL 60625"),
    C("Mia & Eli", "Johansson", "Wedding", "Referral", "mia.eli@example.com", "(847) 555-0159",
      "825 Hinman Ave\nEvanston, IL 60202"),
    C("Henry", "Whitaker", "Family", "Repeat client", "henry.whitaker@example.net", "",
      "310 Greenwood St\nEvanston, IL 60201", phone="(847) 555-0133", do_not_market=True),
    C("Layla", "Haddad", "Newborn", "Google search", "layla.haddad@example.com", "(708) 555-0188",
      "1045 N Harlem Ave\nOak Park, IL 60302"),
    C("Owen", "Gallagher", "Senior Portrait", "Facebook", "owen.gallagher@example.org",
      "(630) 555-0170", "512 Elm St\nHinsdale, IL 60521"),
    C("Nora", "Fitzgerald", "Family", "Referral", "nora.fitz@example.com", "(773) 555-0102",
      "6230 N Kenmore Ave\nChicago, IL 60660"),
    C("Caleb", "Brooks", "Headshot", "LinkedIn", "caleb.brooks@example.net", "(312) 555-0146",
      "401 N Wabash Ave, Apt 3705\nChicago, IL 60611"),
    C("Elena", "Petrova", "Newborn", "Instagram", "", "(847) 555-0119",
      "2020 Lincoln St\nEvanston, IL 60201"),
    C("Isaac", "Goldberg", "Family", "Repeat client", "isaac.goldberg@example.org",
      "(847) 555-0164", "1101 Sheridan Rd\nWilmette, IL 60091", do_not_call=True),
    C("Ava", "Thompson", "Senior Portrait", "Instagram", "ava.thompson@example.com", "",
      "8215 Lawndale Ave\nSkokie, IL 60076"),
    C("Daniel & Hye-jin", "Kim", "Wedding", "Google search", "kim.wedding@example.net",
      "(312) 555-0137", "1250 S Michigan Ave, Apt 908\nChicago, IL 60605"),
    C("Ruby", "Alvarez", "Family", "Facebook", "ruby.alvarez@example.com", "(773) 555-0178",
      "2845 W Cermak Rd\nChicago, IL 60623"),
    C("Wyatt", "Jensen", "Headshot", "Walk-in", "wyatt.jensen@example.org", "(630) 555-0115", ""),
    C("Fatima", "Siddiqui", "Newborn", "Referral", "fatima.siddiqui@example.com",
      "(847) 555-0125", "9240 Kenton Ave\nSkokie, IL 60076"),
    C("Leo", "Marchetti", "Event", "Referral", "leo@marchetti-events.example", "(312) 555-0153",
      "1750 N Clark St\nChicago, IL 60614"),
    C("Stella", "Byrne", "Senior Portrait", "Instagram", "stella.byrne@example.net",
      "(708) 555-0161", "815 Ashland Ave\nRiver Forest, IL 60305", do_not_market=True),
    C("Julian", "Mercer", "Family", "Google search", "", "",
      "1609 Asbury Ave\nEvanston, IL 60201", phone="(847) 555-0186"),
    C("Harper & Cole", "Dawson", "Wedding", "Instagram", "harper.cole@example.com",
      "(773) 555-0194", "3315 N Racine Ave\nChicago, IL 60657"),
    C("", "Northside Rotary Club", "Event", "Repeat client", "events@northsiderotary.example", "",
      "4750 N Sheridan Rd\nChicago, IL 60640", phone="(773) 555-0131",
      notes="Contact: Pat Moran, events chair."),
)
# fmt: on
