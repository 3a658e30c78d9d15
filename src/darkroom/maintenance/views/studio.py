"""The studio's own maintenance pages: its preferences (everyone may look, managers change),
its people (who can log in, with which role, in which departments) and the logins paused after
too many wrong passwords (managers see and unlock them)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from darkroom.back_urls import back_url
from darkroom.form_errors import add_service_errors
from darkroom.maintenance import forms as mforms
from darkroom.maintenance.selectors import (
    PEOPLE_COLUMNS,
    people_records,
    person_cells,
    person_role,
)
from darkroom.maintenance.views.listing import Row, list_query, records_shown, render_list
from darkroom.studio.access import check_permission, may, requires
from darkroom.studio.logins import login_lock, login_locks, login_unlock
from darkroom.studio.people import person_create, person_update
from darkroom.studio.selectors import TOKENS_OF_OTHERS, api_token_lists, studio_preferences
from darkroom.studio.services import studio_preferences_update

PREFERENCES_VIEW = "studio.view_studiopreferences"
PREFERENCES_CHANGE = "studio.change_studiopreferences"
PEOPLE_VIEW = "auth.view_user"
PEOPLE_ADD = "auth.add_user"
PEOPLE_CHANGE = "auth.change_user"


def studio_cards(request: HttpRequest) -> list[dict[str, str]]:
    """The index cards of these pages, for the roles that may open them."""
    cards = []
    if may(request, PREFERENCES_VIEW):
        cards.append(
            {
                "title": "Studio preferences",
                "description": "Name, address, time zone, work week and due-date mode.",
                "url": reverse("maintenance:preferences"),
            }
        )
    if may(request, PEOPLE_VIEW):
        cards.append(
            {
                "title": "People",
                "description": "Who can log in, their role and their departments.",
                "url": reverse("maintenance:people"),
            }
        )
    if may(request, PEOPLE_CHANGE):
        cards.append(
            {
                "title": "Locked-out logins",
                "description": "Logins paused after too many wrong passwords: unlock them.",
                "url": reverse("maintenance:locked-logins"),
            }
        )
    if may(request, "studio.view_closure"):
        cards.append(
            {
                "title": "Calendar",
                "description": "Work week, closures and holidays: what counts as a business day.",
                "url": reverse("studio:calendar"),
            }
        )
    return cards


@requires(PREFERENCES_VIEW)
def preferences(request: HttpRequest) -> HttpResponse:
    prefs = studio_preferences()
    may_change = may(request, PREFERENCES_CHANGE)
    if request.method == "POST":
        check_permission(request, PREFERENCES_CHANGE)
        form = mforms.StudioPreferencesForm.for_preferences(prefs, request.POST)
        if form.is_valid():
            try:
                studio_preferences_update(**form.changes())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Saved the studio's preferences.")
                return redirect("maintenance:preferences")
    else:
        form = mforms.StudioPreferencesForm.for_preferences(prefs)
        if not may_change:
            mforms.disable_all(form)
    context = {
        "form": form,
        "may_change": may_change,
        "time_zones": mforms.StudioPreferencesForm.time_zone_names(),
    }
    return render(request, "maintenance/preferences.html", context)


@requires(PEOPLE_VIEW)
def people(request: HttpRequest) -> HttpResponse:
    form = mforms.PeopleQueryForm(request.GET)
    query = list_query(request, form, [c.name for c in PEOPLE_COLUMNS if c.sortable])
    shown = records_shown(request, people_records(query=query))
    rows = [
        Row(
            pk=person.pk,
            label=person.get_full_name() or person.username,
            cells=list(zip(PEOPLE_COLUMNS, person_cells(person), strict=True)),
            url=reverse("maintenance:person-edit", args=[person.pk]),
            inactive=not person.is_active,
        )
        for person in shown.records
    ]
    context = {
        "title": "People",
        "description": "Who can log in, their role and the departments they work in.",
        "noun": "people",
        "filter_form": form,
        "search_hint": "Search name, username, email",
        "retirable": True,
        "may_change": may(request, PEOPLE_CHANGE),
        "add_url": reverse("maintenance:person-create") if may(request, PEOPLE_ADD) else "",
        "add_label": "Add person",
        "can_move": False,
    }
    return render_list(
        request,
        context=context,
        query=query,
        columns=PEOPLE_COLUMNS,
        rows=rows,
        shown=shown,
        filename="people",
    )


def _person_page(
    request: HttpRequest, form: mforms.PersonForm, person: Any | None, may_change: bool
) -> HttpResponse:
    context = {
        "form": form,
        "person": person,
        "may_change": may_change,
        "back": back_url(request, reverse("maintenance:people")),
        "lock": login_lock(username=person.username) if person and may_change else None,
    }
    if person is not None and may(request, TOKENS_OF_OTHERS):
        context.update(api_token_lists(user=person), may_revoke_tokens=True)
    return render(request, "maintenance/person_form.html", context)


@requires(PEOPLE_ADD)
def person_create_view(request: HttpRequest) -> HttpResponse:
    form = mforms.PersonCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = person_create(
                username=data["username"],
                password=data["password"],
                role=data["role"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                departments=data["departments"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Added {person.get_full_name() or person.username}.")
            return redirect(back_url(request, reverse("maintenance:people")))
    return _person_page(request, form, None, True)


@requires(PEOPLE_VIEW)
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's details; managers change them, other roles see them disabled."""
    person = get_object_or_404(get_user_model()._default_manager.prefetch_related("groups"), pk=pk)
    may_change = may(request, PEOPLE_CHANGE)
    if request.method == "POST":
        check_permission(request, PEOPLE_CHANGE)
        form = mforms.PersonForm(request.POST, person=person)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = person_update(
                    user=person,
                    changed_by=request.user,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    role=data["role"],
                    departments=data["departments"],
                    is_active=data["is_active"],
                    password=data["password"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if saved.pk == request.user.pk and data["password"]:
                    update_session_auth_hash(request, saved)  # stay logged in
                messages.success(request, f"Saved {saved.get_full_name() or saved.username}.")
                return redirect(back_url(request, reverse("maintenance:people")))
    else:
        initial = mforms.person_initial(person, person_role(person))
        form = mforms.PersonForm(initial=initial, person=person)
        if not may_change:
            mforms.disable_all(form)
    return _person_page(request, form, person, may_change)


@requires(PEOPLE_CHANGE)
def locked_logins(request: HttpRequest) -> HttpResponse:
    """The logins paused now, each with an Unlock button (managers only: it lists addresses)."""
    context = {
        "locks": login_locks(),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "maintenance/locked_logins.html", context)


@requires(PEOPLE_CHANGE)
@require_POST
def login_unlock_view(request: HttpRequest) -> HttpResponse:
    """Unlock one username or one address, then back to where the button was."""
    username = request.POST.get("username", "")
    address = request.POST.get("address", "")
    try:
        login_unlock(unlocked_by=request.user, username=username, address=address)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        what = f"“{username.strip()}”" if username else f"address {address.strip()}"
        messages.success(request, f"Unlocked {what}: logging in works again now.")
    return redirect(back_url(request, reverse("maintenance:locked-logins")))
