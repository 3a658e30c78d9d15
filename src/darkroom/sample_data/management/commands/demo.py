"""``darkroom demo``: load the demo studio (once) and say how to log in."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from darkroom.sample_data.demo import DEMO_PASSWORD, DemoLoad, DemoOutcome, demo_studio_load
from darkroom.studio.management.commands.createuser import explain


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no pages involved: start fast
    help = (
        "Load the demo studio, Lumen & Grain Photography: a team, clients, sessions, vendors, a "
        "price list and invoices. Loads only into an empty studio, and only once. Creates a "
        f"manager login (manager / {DEMO_PASSWORD}) when the studio has no manager."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--login-password",
            default=DEMO_PASSWORD,
            help="Password of the demo manager login, when one is created (default: %(default)s).",
        )
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/",
            help="Where Darkroom is served, for the login message (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = demo_studio_load(login_password=options["login_password"])
        except ValidationError as exc:
            raise CommandError(f"{explain(exc)} Nothing was loaded.") from None
        self.stdout.write(self.report(result, options["url"]))

    def report(self, result: DemoLoad, url: str) -> str:
        if result.outcome is DemoOutcome.STUDIO_IN_USE:
            return (
                f"{result.studio_name} already has its own {', '.join(result.in_use)}; the demo "
                "studio loads only into an empty studio. Nothing was changed."
            )
        lines = []
        if result.outcome is DemoOutcome.ALREADY_LOADED:
            lines.append("The demo studio is already loaded.")
        else:
            n = result.counts
            lines += [
                f"Loaded the demo studio “{result.studio_name}”:",
                f"  {n['departments']} departments, {n['people']} people, {n['clients']} "
                f"clients, {n['sessions']} sessions,",
                f"  {n['vendors']} vendors ({n['in-house vendors']} in-house), "
                f"{n['price list items']} price list items,",
                f"  {n['invoices']} invoices with {n['invoice lines']} lines and "
                f"{n['payments']} payments.",
            ]
            if result.team:
                lines.append(f"The team's password is also “{DEMO_PASSWORD}”:")
                lines += [f"  {p.username} ({p.job})" for p in result.team]
        login = result.login
        if login is not None and login.password is not None:
            if login.created:
                lines.append(f"Created the manager login “{login.username}”.")
            lines += ["", f"  Log in at {url} as {login.username} / {login.password}", ""]
        elif login is not None:
            lines.append(
                f"The studio has a manager already: log in at {url} as {login.username} "
                "with their own password."
            )
        return "\n".join(lines)
