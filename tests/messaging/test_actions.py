"""What firings do: letters printed, closures re-planning firings, statuses kept from orphaning."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from darkroom.errors import RecordInUse
from darkroom.messaging.firings import firings_process_due
from darkroom.messaging.models import Firing, MessageTemplate
from darkroom.studio.calendar.writes import closure_add
from darkroom.tracking.models import StatusNote
from darkroom.tracking.services import status_delete, status_update
from tests.conftest import run_queued_jobs
from tests.messaging.conftest import MONDAY, advance, business_days_after

pytestmark = pytest.mark.django_db


def test_email_else_letter_makes_a_printable_letter_for_a_client_without_email(
    frozen_today, make_trigger, make_order, album, people, email_template, web
):
    frozen_today(MONDAY)
    letter = MessageTemplate.objects.create(
        name="Letter", channel="letter", subject="Your album", body="Dear {client_first_name},\n\n"
        "Your album is ready at {studio_name}.",
    )  # fmt: skip
    make_trigger(
        action="email_else_letter", template=email_template, fallback_template=letter,
        task_subject="",
    )  # fmt: skip
    order = advance(make_order(email=""), album.ready, people["staff"])
    firings_process_due()
    firing = Firing.objects.get(object_id=order.pk)
    assert firing.state == "processed" and "no email address" in firing.reason
    task = firing.task
    assert (task.kind, task.subject, task.production_order_id) == ("letter", "Your album", order.pk)
    answer = web("staff").get(f"/tasks/{task.pk}/letter.pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    assert "Dear Ann," in text and "Your album is ready at" in text and "Ann Lee" in text


def test_a_closure_moves_timed_firings_and_history_says_so(
    frozen_today, make_trigger, make_order, album, people
):
    frozen_today(MONDAY)
    make_trigger(name="Lab check", status=album.lab, when="after_due", days=2)
    order = advance(make_order(), album.lab, people["staff"])
    firing = Firing.objects.get(object_id=order.pk)
    due = order.status_due_date
    closure_add(first_date=due, label="Lab holiday")
    run_queued_jobs()  # the recompute the calendar change queued
    order.refresh_from_db()
    firing.refresh_from_db()
    assert order.status_due_date == business_days_after(due, 1)
    assert firing.due_on == business_days_after(order.status_due_date, 2)
    note = StatusNote.objects.get(object_id=order.pk, kind="recompute")
    assert "Lab check" in note.note


def test_a_watched_status_cannot_be_retired_or_deleted(make_trigger, album):
    make_trigger(name="Ready email")
    with pytest.raises(ValidationError, match="Ready email"):
        status_update(status=album.ready, is_inactive=True)
    with pytest.raises(RecordInUse):
        status_delete(status=album.ready)
    album.ready.refresh_from_db()
    assert album.ready.is_active
