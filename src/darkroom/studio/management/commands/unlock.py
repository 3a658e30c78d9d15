"""``darkroom unlock USERNAME`` / ``darkroom unlock --address IP``: log in again at once after too
many wrong passwords; ``darkroom unlock`` alone lists the logins paused now."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from darkroom.studio.logins import login_lock, login_locks, login_unlock
from darkroom.studio.selectors import studio_preferences


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # no pages involved: start fast
    help = (
        "Unlock a login paused after too many wrong passwords: a username (from every address) "
        "or, with --address, a network address (for every username). Without either, list the "
        "logins paused now. Managers can do the same under Maintenance › Locked-out logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", default="", help="The login to unlock.")
        parser.add_argument("--address", default="", help="An IP address to unlock instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"].strip()
        address: str = options["address"].strip()
        if not username and not address:
            self.list_locks()
            return
        was_locked = login_lock(username=username, address=address or None) is not None
        try:
            login_unlock(unlocked_by=None, username=username, address=address)
        except ValidationError as exc:
            raise CommandError(f"{' '.join(exc.messages)} Nothing was unlocked.") from None
        what = f"“{username}”" if username else f"address {address}"
        if was_locked:
            self.stdout.write(f"Unlocked {what}: logging in works again now.")
        else:
            self.stdout.write(
                f"{what[0].upper()}{what[1:]} was not locked; its count of "
                "wrong passwords starts again from zero."
            )

    def list_locks(self) -> None:
        locks = login_locks()
        zone = zoneinfo.ZoneInfo(studio_preferences().time_zone)  # the times the pages show
        if not locks:
            self.stdout.write("No logins are paused now.")
            return
        for lock in locks:
            ends = lock.ends_at.astimezone(zone).strftime("%H:%M")
            self.stdout.write(
                f"{lock.kind:<8}  {lock.value}  {lock.failures} wrong passwords, "
                f"paused until {ends}"
            )
