"""The status pages of one kind of tracked record: the dialog, "Start", the history.

The views only read the forms, check permission and call the status-change services, which
decide every rule and the real due date: the dialog's due date is a proposal, and a proposal
the person left alone is not sent, so it can never become an accidental override. The kinds
themselves (sessions, invoices, orders, tasks) and their URLs are in ``changes.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django_htmx.http import HttpResponseClientRedirect

from darkroom.database_limits import LARGEST_PAGE_NUMBER
from darkroom.errors import Conflict, DarkroomError
from darkroom.form_errors import add_service_errors
from darkroom.formats import format_date
from darkroom.studio.access import requires
from darkroom.tracking.forms import (
    CHANGE_STATUS,
    StartForm,
    StatusChangeForm,
    assignee_to_send,
    proposed_due,
    studio_today,
)
from darkroom.tracking.models import Status, TrackedRecord
from darkroom.tracking.selectors import cycle_for, next_active_status, status_history
from darkroom.tracking.services import record_start, status_change
from darkroom.tracking.views.bulk_changes import bulk_change, bulk_list_context
from darkroom.tracking.views.due_dates import due_date_move
from darkroom.tracking.views.leading_back import came_from, urls_leading_back
from darkroom.tracking.views.reassign import reassign_page
from darkroom.tracking.views.record_kinds import RecordKind
from darkroom.tracking.views.status_panel import Tracking, due_state, not_started

HISTORY_PAGE = 100


def _day(date: dt.date) -> str:
    return format_date(date)


@dataclass(frozen=True)
class StatusPages(RecordKind):
    """The status pages of one kind of tracked record: its dialog, history and bulk change."""

    def urls(self) -> list[URLPattern]:
        view, change = requires(self.view_permission), requires(self.view_permission, CHANGE_STATUS)
        one = f"{self.prefix}/<int:pk>"
        return [
            path(f"{one}/status/", change(self.change), name=f"{self.noun}-status"),
            path(f"{one}/status/due/", change(self.proposal), name=f"{self.noun}-status-due"),
            path(f"{one}/status/start/", change(self.start), name=f"{self.noun}-status-start"),
            path(
                f"{one}/status/due-date/",
                change(self.due_date),
                name=f"{self.noun}-status-due-date",
            ),
            path(f"{one}/reassign/", change(self.reassign), name=f"{self.noun}-reassign"),
            path(f"{one}/history/", view(self.history), name=f"{self.noun}-history"),
            path(f"{self.prefix}/bulk-status/", change(self.bulk), name=f"{self.noun}-bulk-status"),
        ]

    # The dialog ---------------------------------------------------------------------------------

    @staticmethod
    def _proposal(
        record: TrackedRecord, target: Status | None, date_completed: dt.date | None
    ) -> dict[str, Any]:
        due = proposed_due(record, target, date_completed)
        return {
            "to_status": target,
            "due_date": due,
            "computed_due": due,
            "proposed_for": target,
            "department": target.default_department_id if target else None,
            "user": target.default_user_id if target else None,
        }

    def _dialog(
        self,
        request: HttpRequest,
        record: TrackedRecord,
        *,
        form: StatusChangeForm | None = None,
        start_form: StartForm | None = None,
        problem: str = "",
        conflict: str = "",
        status: int = 200,
    ) -> HttpResponse:
        """The dialog's content (htmx) or the page holding it (without JavaScript)."""
        today = studio_today(request)
        context = {
            "pages": self,
            "record": record,
            "name": self._name(record),
            "form": form,
            "start_form": start_form,
            "problem": problem,
            "conflict": conflict,
            "today": today,
            "due": due_state(record, today),
            "urls": urls_leading_back(self.record_urls(record), came_from(request)),
        }
        template = "tracking/change_form.html" if request.htmx else "tracking/change_page.html"
        return render(request, template, context, status=status)

    def _change_form(
        self, request: HttpRequest, record: TrackedRecord, data: Any = None
    ) -> StatusChangeForm:
        today = studio_today(request)
        target = next_active_status(status=record.status)
        initial = {
            "version": record.version,
            "date_completed": today,
            "updated_by": request.user.pk,
            **self._proposal(record, target, today),
        }
        return StatusChangeForm(
            data,
            cycle=cycle_for(record),
            current=record.status,
            initial=initial,
            proposal_url=self.record_urls(record)["due"],
        )

    def _start_dialog(self, request: HttpRequest, record: TrackedRecord) -> HttpResponse:
        tracking = Tracking(pages=self, record=record, today=studio_today(request), can_change=True)
        not_started(record, tracking)
        start = StartForm(initial={"version": record.version, "started_on": tracking.today})
        return self._dialog(request, record, start_form=start, problem=tracking.problem)

    def change(self, request: HttpRequest, pk: int) -> HttpResponse:
        """GET: the dialog with the change's defaults. POST: make the change."""
        record = self.record(request, pk)
        if record.status_id is None:
            if request.method == "POST":
                messages.error(
                    request, f"{self._name(record)} has not started yet: start it first."
                )
                return self._done(request, record)
            return self._start_dialog(request, record)
        try:
            form = self._change_form(request, record, request.POST or None)
        except DarkroomError as exc:
            return self._dialog(request, record, problem=exc.message)
        if request.method != "POST":
            return self._dialog(request, record, form=form)
        seen = request.POST.get("version", "")
        if seen.isdigit() and int(seen) != record.version:
            # Before the fields: they are checked against the record as it is now.
            stale = f"{self._name(record)} was changed by someone else since you opened it."
            return self._conflict(request, pk, stale)
        if not form.is_valid():
            return self._dialog(request, record, form=form, status=422)
        data = form.cleaned_data
        target, proposed = data["to_status"], data["proposed_for"]
        due = data["due_date"]
        if due is not None and due == data["computed_due"]:
            due = None  # left as proposed (for this target or another): the service computes it
        assignees = {
            name: assignee_to_send(data, name, target, proposed) for name in ("department", "user")
        }
        try:
            note = status_change(
                record=record,
                expected_version=data["version"],
                updated_by=data["updated_by"] or request.user,
                entered_by=request.user,
                to_status=target,
                date_completed=data["date_completed"],
                due_date=due,
                note=data["note"],
                current_not_complete=data["current_not_complete"],
                **assignees,
            )
        except Conflict as exc:
            return self._conflict(request, pk, exc.message)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "expected_version" in exc.error_dict:
                exc.error_dict[NON_FIELD_ERRORS] = exc.error_dict.pop("expected_version")
            add_service_errors(form, exc)
            return self._dialog(request, record, form=form, status=422)
        except DarkroomError as exc:
            form.add_error(None, exc.message)
            return self._dialog(request, record, form=form, status=409)
        due_words = f", due {_day(note.due_date)}" if note.due_date else ""
        messages.success(
            request, f"{self._name(record)}: {note.from_status} → {note.to_status}{due_words}."
        )
        return self._done(request, record)

    def _conflict(self, request: HttpRequest, pk: int, message: str) -> HttpResponse:
        """Someone changed the record meanwhile: show it as it is now and keep the input, so a
        second submit applies the change knowingly (or the person reloads)."""
        current = self.record(request, pk)
        if current.status_id is None:
            return self._start_dialog(request, current)
        data = request.POST.copy()
        data["version"] = str(current.version)
        form = self._change_form(request, current, data)
        form.is_valid()
        return self._dialog(request, current, form=form, conflict=message, status=409)

    def _done(self, request: HttpRequest, record: TrackedRecord) -> HttpResponse:
        """Back to the record's page. htmx gets it without "#status": the dialog's page is that
        page, and a link differing only in its fragment would scroll instead of reloading."""
        back = came_from(request)
        url = back or record.get_absolute_url()  # type: ignore[attr-defined]
        if request.htmx:
            return HttpResponseClientRedirect(url)
        return redirect(url if back else f"{url}#status")

    @staticmethod
    def _posted_date(request: HttpRequest) -> dt.date | None:
        try:
            return dt.date.fromisoformat(request.GET.get("date_completed", ""))
        except ValueError:
            return None

    def proposal(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The due date and assignees proposed for the target and date chosen in the dialog.

        Changing the target proposes its defaults; changing only the date keeps the
        assignees the person chose.
        """
        record = self.record(request, pk)
        if record.status_id is None:
            return self._start_dialog(request, record)
        cycle = cycle_for(record)
        text = request.GET.get("to_status", "")
        target = (
            Status.objects.filter(cycle=cycle, pk=int(text), is_inactive=False).first()
            if text.isdigit() and int(text) <= LARGEST_PAGE_NUMBER
            else None
        )
        initial = self._proposal(record, target, self._posted_date(request))
        if request.htmx and request.htmx.trigger_name == "date_completed":
            for name in ("department", "user"):
                value = request.GET.get(name, "")
                initial[name] = int(value) if value.isdigit() else None
        form = StatusChangeForm(cycle=cycle, current=record.status, initial=initial)
        return render(
            request,
            "tracking/change_proposal.html",
            {"form": form, "pages": self, "urls": self.record_urls(record)},
        )

    def start(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Put a record not yet in its cycle into the cycle's initial status."""
        if request.method != "POST":
            return redirect("tracking:" + f"{self.noun}-status", pk=pk)
        record = self.record(request, pk)
        form = StartForm(request.POST)
        if form.is_valid():
            try:
                note = record_start(
                    record=record,
                    started_on=form.cleaned_data["started_on"],
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except DarkroomError as exc:  # a conflict, or no cycle / no initial status yet
                messages.error(request, exc.message)
                return self._done(request, record)
            else:
                due = f", due {_day(note.due_date)}" if note.due_date else ""
                messages.success(
                    request, f"{self._name(record)}: started in {note.to_status}{due}."
                )
                return self._done(request, record)
        return self._dialog(request, record, start_form=form, status=422)

    # History ------------------------------------------------------------------------------------

    def history(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Every change of the record, newest first, a page at a time (``?offset=``)."""
        record = self.record(request, pk)
        text = request.GET.get("offset", "")
        offset = min(int(text), 10**9) if text.isdigit() else 0
        notes = list(status_history(record=record).reverse()[offset : offset + HISTORY_PAGE + 1])
        more = len(notes) > HISTORY_PAGE
        context = {
            "pages": self,
            "record": record,
            "name": self._name(record),
            "notes": notes[:HISTORY_PAGE],
            "offset": offset,
            "next_offset": offset + HISTORY_PAGE if more else None,
            "urls": self.record_urls(record),
        }
        template = "tracking/history_rows.html" if request.htmx else "tracking/history_page.html"
        return render(request, template, context)

    def due_date(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Move the current status's due date alone (GET: the form as a page of its own)."""
        return due_date_move(self, request, pk)

    def reassign(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Hand the current step to another department or person (reassign.py)."""
        return reassign_page(self, request, pk)

    # Bulk change from a list (bulk_changes.py) --------------------------------------------------

    def list_context(self, request: HttpRequest) -> dict[str, Any]:
        return bulk_list_context(self, request)

    def bulk(self, request: HttpRequest) -> HttpResponse:
        return bulk_change(self, request)
