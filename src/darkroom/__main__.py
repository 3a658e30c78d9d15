"""The ``darkroom`` command: Django's manage.py with Darkroom's settings, plus our own commands.

``darkroom serve``, ``darkroom worker``, ``darkroom createuser``, ``darkroom token`` and
``darkroom unlock`` are management commands of the studio app; ``darkroom demo`` (the demo
studio) and ``darkroom seed-scale`` (a large studio for benchmarks) are the sample_data app's
``demo`` and ``seed_scale``; ``darkroom hub-recount`` (count the hub's running totals again) is
the hub app's ``hub_recount``; everything else (``migrate``, ``shell``, ``makemigrations`` …) is
Django's own.
"""

from __future__ import annotations

import os
import sys

# Commands spelled with a hyphen on the command line (a Python module name can't hold one).
ALIASES = {"seed-scale": "seed_scale", "hub-recount": "hub_recount"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "darkroom.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
