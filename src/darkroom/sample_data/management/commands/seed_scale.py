"""``darkroom seed-scale --orders N``: a large studio in bulk, to measure the hub on.

Writes ``darkroom.sample_data.scale.seed_scale``'s studio into the database Darkroom is set up for
(``DARKROOM_DATA_DIR`` or ``DATABASE_URL``), with a progress bar on a terminal and plain lines
otherwise, and says what it made and how long it took.
"""

from __future__ import annotations

import argparse
import time
from typing import Any, TextIO

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from darkroom.errors import DarkroomError
from darkroom.sample_data.scale import ScaleReport, check_orders, seed_scale
from darkroom.studio.management.commands.createuser import explain
from darkroom.tracking.remaining import open_records_fill

BAR_WIDTH = 30


def _whole_number(text: str) -> int:
    """argparse's type for --orders and --seed: a whole number (1000000, 1_000_000 or
    1,000,000), said plainly when it isn't."""
    try:
        return int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a whole number. Nothing was written."
        ) from None


class Progress:
    """Orders written of the total, the rate and the time left: one line redrawn on a terminal,
    a line every tenth of the way otherwise (logs stay short)."""

    def __init__(self, out: TextIO, *, tty: bool) -> None:
        self.out, self.tty = out, tty
        self.started = time.perf_counter()
        self.last_tenth = -1

    def __call__(self, done: int, total: int) -> None:
        elapsed = time.perf_counter() - self.started
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (total - done) / rate if rate else 0.0
        share = done / total
        eta = _duration(left) if done else "-:--"
        figures = f"{done:,}/{total:,} orders  {rate:,.0f}/s  ETA {eta}"
        if self.tty:
            filled = int(share * BAR_WIDTH)
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self.out.write(f"\r[{bar}] {share:4.0%}  {figures}\x1b[K")
            if done < total:
                self.out.flush()
                return
        else:
            tenth = int(share * 10)
            if tenth == self.last_tenth:
                return
            self.last_tenth = tenth
            self.out.write(f"{share:4.0%}  {figures}")
        if done == total:
            self.out.write("\nBuilding the indexes and the planner's statistics…")
        self.out.write("\n")
        self.out.flush()


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds + 0.5), 60)
    return f"{minutes}:{seconds:02d}"


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no pages involved: start fast
    help = (
        "Make a large studio for benchmarks: N production orders over ten years of invoices "
        "(about 5 %% of them open), 200 vendors, 50 people, about 5 status notes an order. "
        "Only into a studio without production orders, unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--orders", required=True, type=_whole_number, help="How many production orders."
        )
        parser.add_argument(
            "--seed",
            type=_whole_number,
            default=1,
            help="The same seed makes the same studio (default: %(default)s).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add to a studio that already has production orders.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            orders = check_orders(options["orders"])
        except ValidationError as exc:
            raise CommandError(f"{explain(exc)} Nothing was written.") from None
        out = self.stdout._out  # the real stream: the bar redraws one line
        progress = Progress(out, tty=out.isatty())
        self.stdout.write(f"Making a studio of {orders:,} production orders on {_database()}…")
        try:
            report = seed_scale(
                orders=orders, seed=options["seed"], progress=progress, force=options["force"]
            )
        except ValidationError as exc:
            raise CommandError(f"{explain(exc)} Nothing was written.") from None
        except DarkroomError as exc:
            raise CommandError(f"{exc.message} Nothing was written.") from None
        open_records_fill()  # what the status engine stores beside a projection it writes
        self.stdout.write(self.summary(report))

    def summary(self, report: ScaleReport) -> str:
        return "\n".join(
            [
                f"Made {report.orders:,} production orders ({report.open_orders:,} open) on "
                f"{report.invoices:,} invoices of {report.clients:,} clients,",
                f"  {report.preproduction_orders:,} proof orders "
                f"({report.open_preproduction_orders:,} open) and {report.status_notes:,} "
                "status notes;",
                f"  {report.rows:,} rows in {_duration(report.seconds)} "
                f"({report.seconds:.1f} s, {report.rows_per_second:,.0f} rows/s). "
                f"Today is {report.today:%Y-%m-%d}.",
            ]
        )


def _database() -> str:
    if connection.vendor == "sqlite":
        return f"SQLite ({connection.settings_dict['NAME']})"
    return f"PostgreSQL ({connection.settings_dict['NAME']})"
