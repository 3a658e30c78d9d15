"""``darkroom triggers preview``: the dry run in a terminal."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from darkroom.messaging.models import Firing, Message
from tests.messaging.conftest import MONDAY, advance

pytestmark = pytest.mark.django_db


def test_preview_prints_a_table_of_what_fires_and_writes_nothing(
    frozen_today, make_trigger, make_order, album, people, email_template
):
    frozen_today(MONDAY)
    make_trigger(name="Tell the client", action="email", template=email_template)
    make_trigger(
        name="Call them", status=album.lab, when="after_due", days=1, action="call",
        processing="review",
    )  # fmt: skip
    advance(make_order(email="ann@example.com"), album.ready, people["staff"])
    advance(make_order(email="bo@example.com"), album.lab, people["staff"])
    states = list(Firing.objects.values_list("state", flat=True))
    out = io.StringIO()
    call_command("triggers", "preview", "--date", "2026-03-31", stdout=out)
    text = out.getvalue()
    assert "What fires by the end of Tuesday 31 March 2026: 2 item(s)." in text
    lines = text.splitlines()
    assert lines[1].split()[:3] == ["DUE", "TRIGGER", "RECORD"]
    email = next(line for line in lines if "Tell the client" in line)
    assert "Ann Lee <ann@example.com>" in email and "Your Album is ready, Ann" in email
    call = next(line for line in lines if "Call them" in line)
    assert "Goes to review." in call
    assert list(Firing.objects.values_list("state", flat=True)) == states
    assert Message.objects.count() == 0
    out = io.StringIO()
    call_command("triggers", "preview", stdout=out)  # tomorrow
    assert "Tuesday 03 March 2026" in out.getvalue()


def test_a_bad_date_is_a_clear_error_with_exit_code_2(db):
    with pytest.raises(CommandError, match="is not a date: write it as YYYY-MM-DD") as caught:
        call_command("triggers", "preview", "--date", "2026-02-30")
    assert caught.value.returncode == 2
