"""What the database takes: the largest id and version, and how many values one statement binds.

These are facts about the tables and the databases Darkroom runs on, so pages, the API and the
services that read in chunks all take them from here rather than each keeping its own copy.
"""

from __future__ import annotations

from typing import Final

# Ids are BigAutoField (settings.DEFAULT_AUTO_FIELD): a bigger number can't be an id, and SQLite
# can't even bind it.
LARGEST_ID: Final = 2**63 - 1

# Versions and hand-set positions are PositiveIntegerField: 2**31 - 1 is the largest PostgreSQL
# stores in them (a bigger one is a 500 there, not a stale version).
LARGEST_VERSION: Final = 2**31 - 1

# The largest number a page takes for an id or a version from a form, a link or a list's ticks:
# the pages write none bigger, so a bigger one is answered as unreadable or "does not exist"
# without being looked up. (The API takes every id, up to LARGEST_ID.)
LARGEST_PAGE_NUMBER: Final = LARGEST_VERSION

# Values bound to one statement (an ``IN (...)`` list, a multi-row INSERT): under SQLite's 32,766
# (SQLite 3.32 on; Python's own is newer) and PostgreSQL's 65,535.
MOST_PARAMETERS: Final = 30_000
