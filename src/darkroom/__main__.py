"""The ``darkroom`` command: Django's manage.py with Darkroom's settings, plus our own commands.

``darkroom serve``, ``darkroom worker``, ``darkroom demo``, ``darkroom createuser`` and
``darkroom token`` are management commands of the studio app; everything else (``migrate``,
``shell``, ``makemigrations`` …) is Django's own.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "darkroom.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
