"""How the client and session forms, and every delete button, behave: the services decide; a
refusal is shown where the person is, and nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from darkroom.errors import RecordInUse
from darkroom.form_errors import add_service_errors


class Record(Protocol):
    """A record with a page of its own, where the person lands after a form or a refusal."""

    def get_absolute_url(self) -> str: ...


def form_page(
    request: HttpRequest,
    *,
    form: ModelForm[Any],
    save: Callable[[Any], Any],
    named: Callable[[Any], str],
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The form of one record. A valid POST is saved by ``save`` (a service) and leads to the
    record's page with "Added …"/"Saved …" (``named`` says what); a refusal is shown beside the
    fields it names and answers 422."""
    if request.method == "POST" and form.is_valid():
        record = form.instance
        adding = record.pk is None
        try:
            save(record)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{'Added' if adding else 'Saved'} {named(record)}.")
            return redirect(record)
    status = 422 if request.method == "POST" else 200
    return render(request, template, {"form": form, **context}, status=status)


def delete_page(
    request: HttpRequest,
    record: Record,
    *,
    delete: Callable[[], None],
    deleted: str,
    then: Any,
) -> HttpResponse:
    """Delete through the service, say ``deleted`` and go to ``then``; a record still in use
    stays, and its page says why."""
    try:
        delete()
    except RecordInUse as exc:
        messages.error(request, exc.message)
        return redirect(record)
    messages.success(request, deleted)
    return redirect(then)
