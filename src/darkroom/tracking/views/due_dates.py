"""Moving a record's status due date from its page (or another record's page) by hand.

``<records>/<pk>/status/due-date/``: GET is the form as a page of its own (the page a refusal
comes back on, input kept); POST moves the date through ``services.due_date_moves`` and leads back
to the record's page, or to ``?next=`` (an order's page moves its invoice's due date).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from darkroom.database_limits import LARGEST_VERSION
from darkroom.errors import Conflict, DarkroomError
from darkroom.form_errors import add_service_errors
from darkroom.tracking.forms import DATE_ERRORS, VERSION_ERRORS, DateInput, GeneralErrors
from darkroom.tracking.services import status_due_date_set
from darkroom.tracking.services.due_date_moves import NOTE_LENGTH
from darkroom.tracking.views.leading_back import came_from, day_words, urls_leading_back
from darkroom.tracking.views.record_kinds import RecordKind


class DueDateForm(GeneralErrors, forms.Form):
    """The new due date of the current status; the service decides whether it may move."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=LARGEST_VERSION,
        error_messages=VERSION_ERRORS,
    )
    due_date = forms.DateField(label="New due date", widget=DateInput(), error_messages=DATE_ERRORS)
    note = forms.CharField(
        label="Why",
        required=False,
        max_length=NOTE_LENGTH,
        help_text="Optional: kept in the status history.",
    )


def due_date_move(pages: RecordKind, request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form. POST: move the date; back to where the person came from."""
    record = pages.record(request, pk)
    name = pages._name(record)
    form = DueDateForm(
        request.POST if request.method == "POST" else None,
        initial={"version": record.version, "due_date": record.status_due_date},
    )
    conflict = ""
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                note = status_due_date_set(
                    record=record,
                    expected_version=data["version"],
                    due_date=data["due_date"],
                    updated_by=request.user,
                    note=data["note"],
                )
            except Conflict as exc:
                conflict, status = exc.message, 409
                fresh = pages.record(request, pk)
                data = request.POST.copy()
                data["version"] = str(fresh.version)
                record, form = fresh, DueDateForm(data)
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "expected_version" in exc.error_dict:
                    exc.error_dict[NON_FIELD_ERRORS] = exc.error_dict.pop("expected_version")
                add_service_errors(form, exc)
            except DarkroomError as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                previous = (
                    f"{day_words(note.previous_due_date)} → " if note.previous_due_date else ""
                )
                messages.success(
                    request, f"{name}: due date moved {previous}{day_words(note.due_date)}."
                )
                back = came_from(request)
                return redirect(back or f"{record.get_absolute_url()}#status")  # type: ignore[attr-defined]
    context = {
        "pages": pages,
        "record": record,
        "name": name,
        "form": form,
        "conflict": conflict,
        "urls": urls_leading_back(pages.record_urls(record), came_from(request)),
    }
    return render(request, "tracking/due_date_page.html", context, status=status)
