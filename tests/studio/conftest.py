"""What the calendar tests share: fixed dates, a vendor, and a picture of the calendar's rows."""

from __future__ import annotations

import datetime as dt

import pytest

from darkroom.studio.models import Closure, StudioPreferences
from tests import factories as f

# December 2026: Friday the 18th, Christmas on Friday the 25th, Monday the 28th.
FRI = dt.date(2026, 12, 18)
MON = dt.date(2026, 12, 21)
TUE = dt.date(2026, 12, 22)
CHRISTMAS = dt.date(2026, 12, 25)


def snapshot() -> tuple[list[dict], list[dict]]:
    """Every closure and the preferences row: to prove a refused write changed nothing."""
    closures = list(Closure.objects.order_by("pk").values())
    prefs = list(StudioPreferences.objects.values())
    return closures, prefs


@pytest.fixture
def vendor(db):
    return f.VendorFactory(name="Bay Photo Lab")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The people fixture hashes three passwords per test; a fast hasher keeps the suite quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
