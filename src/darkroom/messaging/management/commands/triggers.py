"""``darkroom triggers preview --date YYYY-MM-DD``: what fires by the end of a day, to whom,
with which words — the dry run, in a terminal. Writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from darkroom.messaging.selectors import PlannedItem, dry_run
from darkroom.studio.selectors import studio_preferences


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"“{text}” is not a date: write it as YYYY-MM-DD (2027-01-31).", returncode=2
        ) from None


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _outcome(item: PlannedItem) -> tuple[str, str, str]:
    """(what, to whom, the words) of one item, in a line each."""
    plan = item.plan
    if plan is None:
        return "not acting", "", item.note
    if plan.suppressed:
        return "nothing", "", plan.suppressed
    what = plan.action + (" (fallback)" if plan.fallback else "")
    words = plan.subject or plan.body.split("\n", 1)[0]
    notes = " ".join(x for x in (plan.fallback, item.note) if x)
    return what, plan.recipient_words, words + (f" — {notes}" if notes else "")


class Command(BaseCommand):
    help = "Triggers: `preview --date YYYY-MM-DD` shows what fires by that day (default tomorrow)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True, metavar="preview")
        preview = commands.add_parser(
            "preview",
            help="What fires by the end of a day, and to whom (writes nothing)",
            called_from_command_line=getattr(parser, "called_from_command_line", None),
        )
        preview.add_argument("--date", default="", help="YYYY-MM-DD; default: tomorrow")

    def handle(self, *args: Any, **options: Any) -> None:
        text = options.get("date") or ""
        day = _day(text) if text else studio_preferences().today() + dt.timedelta(days=1)
        items = dry_run(day=day)
        self.stdout.write(f"What fires by the end of {day:%A %d %B %Y}: {len(items)} item(s).")
        if not items:
            return
        rows = [("DUE", "TRIGGER", "RECORD", "ACTION", "TO", "WORDS OR WHY")]
        for item in items:
            what, to, words = _outcome(item)
            rows.append(
                (
                    item.firing.due_on.isoformat(),
                    item.trigger.name,
                    item.record_label,
                    what,
                    to or "—",
                    words,
                )
            )
        widths = [min(max(len(row[i]) for row in rows), 32) for i in range(5)]
        for row in rows:
            cells = [_cut(c, w).ljust(w) for c, w in zip(row[:5], widths, strict=True)]
            self.stdout.write("  ".join(cells) + "  " + _cut(row[5], 100))
