"""Reassigning a record from its page: the "Reassign" dialog (or a page of its own).

``<records>/<pk>/reassign/``: GET is the form (the dialog's content with htmx, else a page);
POST hands the current step to the department and person chosen through
``services.reassignment.record_reassign`` and leads back to the record's page. A refusal comes back
beside its field, a conflict with the record as it is now and the input kept.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRedirect

from darkroom.database_limits import LARGEST_VERSION
from darkroom.errors import Conflict, DarkroomError
from darkroom.form_errors import add_service_errors
from darkroom.studio.models import Department
from darkroom.tracking.forms import (
    VERSION_ERRORS,
    DepartmentChoiceField,
    GeneralErrors,
    PersonChoice,
    active_people,
)
from darkroom.tracking.services import reassign_words, record_reassign
from darkroom.tracking.services.reassignment import NOTE_LENGTH
from darkroom.tracking.views.leading_back import came_from, urls_leading_back
from darkroom.tracking.views.record_kinds import RecordKind


class ReassignForm(GeneralErrors, forms.Form):
    """Who holds the current step from now on; the service decides whether they may."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=LARGEST_VERSION,
        error_messages=VERSION_ERRORS,
    )
    department = DepartmentChoiceField(
        queryset=Department.objects.none(),
        label="Department",
        required=False,
        empty_label="No department",
        error_messages={"invalid_choice": "Choose one of the active departments."},
    )
    user = PersonChoice(
        queryset=active_people(),
        label="Person",
        required=False,
        empty_label="Nobody",
        error_messages={"invalid_choice": "Choose someone who can sign in."},
    )
    note = forms.CharField(
        label="Why",
        required=False,
        max_length=NOTE_LENGTH,
        help_text="Optional: kept in the status history.",
    )

    def __init__(self, *args: Any, record: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Active ones, and the one the record has (keeping it is fine).
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            Q(is_inactive=False) | Q(pk=record.status_department_id)
        ).order_by("name")
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            get_user_model()
            ._default_manager.filter(Q(is_active=True) | Q(pk=record.status_user_id))
            .order_by("first_name", "last_name", "username")
        )
        self.fields["department"].widget.attrs["autofocus"] = True


def _initial(record: Any) -> dict[str, Any]:
    return {
        "version": record.version,
        "department": record.status_department_id,
        "user": record.status_user_id,
    }


def reassign_page(pages: RecordKind, request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form. POST: reassign; back to the record's page (or where the person came from)."""
    record = pages.record(request, pk)
    name = pages._name(record)
    posted = request.method == "POST"
    form = ReassignForm(request.POST if posted else None, record=record, initial=_initial(record))
    conflict, problem, status = "", "", 200
    if record.status_id is None:
        problem = f"{name} has not started yet: there is no step to hand over."
    elif record.status.is_final:
        problem = f"{name} is “{record.status}”, its final status: there is no work to hand over."
    if posted and not problem:
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                note = record_reassign(
                    record=record,
                    expected_version=data["version"],
                    department=data["department"],
                    user=data["user"],
                    updated_by=request.user,
                    note=data["note"],
                )
            except Conflict as exc:
                conflict, status = exc.message, 409
                record = pages.record(request, pk)
                fresh = request.POST.copy()
                fresh["version"] = str(record.version)
                form = ReassignForm(fresh, record=record)
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "expected_version" in exc.error_dict:
                    exc.error_dict[NON_FIELD_ERRORS] = exc.error_dict.pop("expected_version")
                add_service_errors(form, exc)
            except DarkroomError as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(request, f"{name}: {reassign_words(note)}.")
                url = came_from(request) or record.get_absolute_url()
                if request.htmx:
                    return HttpResponseClientRedirect(url)
                return redirect(url if came_from(request) else f"{url}#status")
    context = {
        "pages": pages,
        "record": record,
        "name": name,
        "form": form,
        "conflict": conflict,
        "problem": problem,
        "urls": urls_leading_back(pages.record_urls(record), came_from(request)),
    }
    template = "tracking/reassign_form.html" if request.htmx else "tracking/reassign_page.html"
    return render(request, template, context, status=status)
