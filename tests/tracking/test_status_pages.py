"""Maintenance › Statuses through its pages: list, add, insert, modify, move, delete, retire,
hide inactive, print and Excel, and every refusal leaving the cycle as it was."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from darkroom.catalog.models import OrderKind
from darkroom.tracking.models import Cycle, CycleKind, Status
from darkroom.tracking.services import cycle_create, record_start, status_add, status_change
from tests.factories import DepartmentFactory, OrderTypeFactory
from tests.tracking.conftest import MONDAY

pytestmark = pytest.mark.django_db

LIST = reverse("tracking:statuses")


def order(cycle) -> list[str]:
    return [s.description for s in Status.objects.filter(cycle=cycle).order_by("position", "id")]


def positions(cycle) -> list[int]:
    return [s.position for s in Status.objects.filter(cycle=cycle).order_by("position", "id")]


def text(response) -> str:
    """The page as a person reads it: tags dropped, spaces collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip())


def row_text(response, status) -> str:
    match = re.search(rf'<tr id="row-{status.pk}".*?</tr>', response.content.decode(), re.S)
    assert match, f"no row for {status}"
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0))).strip())


def field_errors(response, name: str) -> list[str]:
    return list(response.context["form"].errors.get(name, []))


def create_url(cycle, **query) -> str:
    url = reverse("tracking:status-create", args=[cycle.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def edit_url(status) -> str:
    return reverse("tracking:status-edit", args=[status.pk])


def form_data(status=None, **changes) -> dict:
    """What the form posts for ``status`` as it is (or an empty new one), with ``changes``."""
    data = {"description": "", "default_duration": "0"}
    if status is not None:
        data = {
            "description": status.description,
            "default_duration": str(status.default_duration),
            "default_department": status.default_department_id or "",
            "default_user": status.default_user_id or "",
        }
        for flag in ("is_initial", "is_final", "is_inactive"):
            if getattr(status, flag):
                data[flag] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def manager(web):
    return web("manager")


@pytest.fixture
def used(session_cycle, session, people):
    """A session started (Booked) and moved on (Shot): both statuses are in use now."""
    record_start(record=session, started_on=MONDAY, by=people["staff"])
    status_change(
        record=session,
        expected_version=session.version,
        updated_by=people["staff"],
        date_completed=MONDAY,
    )
    return session_cycle


# The list ---------------------------------------------------------------------------------------


def test_the_page_shows_the_first_cycle_in_order_with_its_defaults(
    manager, session_cycle, invoice_cycle, people
):
    retouching = DepartmentFactory(name="Retouching")
    Status.objects.filter(pk=session_cycle.shot.pk).update(
        default_department=retouching, default_user=people["staff"]
    )
    response = manager.get(LIST)
    assert response.status_code == 200
    page = text(response)
    # Sessions come before invoices in the studio's order of cycles, so they are shown first.
    # A cycle named after its kind is not named twice ("Sessions", not "Sessions · Sessions").
    assert 'class="cycle-heading">Sessions</h2>' in response.content.decode()
    assert page.index("Booked") < page.index("Shot") < page.index("On hold")
    assert page.index("On hold") < page.index("Proofing") < page.index("Delivered")
    assert "5 statuses" in page
    assert row_text(response, session_cycle.booked).startswith("1 Booked Initial 1 business day")
    shot = row_text(response, session_cycle.shot)
    assert shot.startswith("2 Shot 2 business days Retouching Staff")
    assert "Move Shot up" in shot and "Move Shot down" in shot
    assert "Modify Shot" in shot and "Insert before Shot" in shot and "Delete Shot" in shot
    assert row_text(response, session_cycle.hold).startswith("3 On hold Inactive Same day")
    # Nothing is due after the final step: it shows no duration.
    assert row_text(response, session_cycle.delivered).startswith("5 Delivered Final — —")
    # The chooser lists every cycle; the shown one is selected.
    assert f'<option value="{session_cycle.cycle.pk}" selected>Sessions</option>' in (
        response.content.decode()
    )
    assert f'<option value="{invoice_cycle.cycle.pk}">Invoices</option>' in (
        response.content.decode()
    )


def test_another_cycle_is_chosen_in_the_address(manager, session_cycle, invoice_cycle):
    response = manager.get(LIST, {"cycle": invoice_cycle.cycle.pk})
    page = text(response)
    assert 'class="cycle-heading">Invoices</h2>' in response.content.decode()
    assert "In production" in page and "Proofing" not in page


@pytest.mark.parametrize("cycle", ["999999", "abc", "-1", "1e3"])
def test_an_unknown_cycle_is_not_found(manager, session_cycle, cycle):
    assert manager.get(LIST, {"cycle": cycle}).status_code == 404


def test_without_cycles_the_page_says_so(manager):
    response = manager.get(LIST)
    assert response.status_code == 200
    assert "The studio has no status cycles yet." in text(response)


def test_an_empty_cycle_offers_its_first_status(manager):
    cycle = cycle_create(kind=CycleKind.TASK, name="Tasks")
    response = manager.get(LIST)
    assert "This cycle has no statuses yet." in text(response)
    assert re.search(
        rf'<a href="{create_url(cycle)}\?next=[^"]+">Add its first status</a>',
        response.content.decode(),
    )


def test_hide_inactive_leaves_out_retired_steps_but_keeps_their_places(manager, session_cycle):
    shown = manager.get(LIST)
    assert "On hold" in text(shown)
    assert 'aria-pressed="false"' in shown.content.decode()

    response = manager.get(LIST, {"inactive": "hide"})
    page = text(response)
    assert "On hold" not in page
    assert "4 statuses · 1 inactive hidden" in page
    assert 'aria-pressed="true"' in response.content.decode()
    assert row_text(response, session_cycle.proofing).startswith("4 Proofing")
    # Every link and form on the page keeps the choice.
    assert f"?cycle={session_cycle.cycle.pk}&amp;inactive=hide&amp;format=xlsx" in (
        response.content.decode()
    )
    assert re.search(r'name="next" value="[^"]*inactive=hide"', response.content.decode())


def test_readonly_people_see_the_cycle_without_the_buttons_that_change_it(web, session_cycle):
    response = web("readonly").get(LIST)
    assert response.status_code == 200
    page = text(response)
    assert "Proofing" in page and "View Proofing" in page
    for word in ("Add status", "Move Proofing up", "Insert before", "Delete Proofing", "Modify"):
        assert word not in page


def test_staff_may_look_at_a_status_but_not_change_it(web, session_cycle):
    response = web("staff").get(edit_url(session_cycle.shot))
    assert response.status_code == 200
    assert "Your role can look at this status but not change it." in text(response)
    assert all(field.disabled for field in response.context["form"].fields.values())
    assert "Save" not in text(response)


def test_the_list_reads_a_fixed_number_of_queries(manager, session_cycle, people):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager.get(LIST).status_code == 200
        return len(captured)

    before = queries()
    department = DepartmentFactory()
    for n in range(8):
        status_add(
            cycle=session_cycle.cycle,
            description=f"Extra {n}",
            default_department=department,
            default_user=people["staff"],
        )
    assert queries() == before


# Add and insert ---------------------------------------------------------------------------------


def test_a_manager_adds_a_status_at_the_end(manager, session_cycle, people):
    printing = DepartmentFactory(name="Print & Finishing")
    back = f"{LIST}?cycle={session_cycle.cycle.pk}"
    form = manager.get(create_url(session_cycle.cycle, next=back))
    assert form.status_code == 200
    assert form.context["form"]["position"].value() == 6
    assert "6. At the end" in text(form)

    response = manager.post(
        create_url(session_cycle.cycle),
        form_data(
            description="  Archived ",
            default_duration="4",
            default_department=printing.pk,
            default_user=people["staff"].pk,
            position="6",
            next=back,
        ),
    )
    added = Status.objects.get(description="Archived")
    assert response.status_code == 302
    assert response["Location"] == f"{back}#row-{added.pk}"
    assert order(session_cycle.cycle)[-2:] == ["Delivered", "Archived"]
    assert (added.default_duration, added.default_department, added.default_user) == (
        4,
        printing,
        people["staff"],
    )
    assert not (added.is_initial or added.is_final or added.is_inactive)
    page = text(manager.get(back))
    assert "Added “Archived” at position 6 of Sessions." in page


def test_insert_before_puts_the_new_step_in_that_place(manager, session_cycle):
    listing = manager.get(LIST)
    link = create_url(session_cycle.cycle, position=4)
    assert f'href="{link}&amp;next=' in listing.content.decode()

    form = manager.get(link)
    assert form.context["form"]["position"].value() == 4
    assert "4. Before “Proofing”" in text(form)

    response = manager.post(
        link, form_data(description="Culling", default_duration="1", position="4")
    )
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LIST}?cycle={session_cycle.cycle.pk}#row-")
    assert order(session_cycle.cycle) == [
        "Booked",
        "Shot",
        "On hold",
        "Culling",
        "Proofing",
        "Delivered",
    ]
    assert positions(session_cycle.cycle) == [1, 2, 3, 4, 5, 6]


def test_a_position_outside_the_cycle_falls_back_to_the_end_on_the_form(manager, session_cycle):
    form = manager.get(create_url(session_cycle.cycle, position=99))
    assert form.context["form"]["position"].value() == 6


def test_a_new_final_status_takes_the_flag(manager, session_cycle):
    manager.post(
        create_url(session_cycle.cycle),
        form_data(description="Archived", position="6", is_final="on"),
    )
    finals = Status.objects.filter(cycle=session_cycle.cycle, is_final=True)
    assert [s.description for s in finals] == ["Archived"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"description": "   "}, "description", "Give the status a description"),
        ({"description": "x" * 81}, "description", "at most 80 characters"),
        ({"default_duration": "-1"}, "default_duration", "The duration can't be negative."),
        ({"default_duration": "1000"}, "default_duration", "At most 999 business days."),
        ({"default_duration": "2.5"}, "default_duration", "Enter a whole number"),
        ({"default_duration": ""}, "default_duration", "Enter a number of business days"),
        ({"position": "99"}, "position", "Choose where in the cycle the status goes."),
        ({"position": "0"}, "position", "Choose where in the cycle the status goes."),
        ({"default_department": "999999"}, "default_department", "Select a valid choice"),
        (
            {"is_initial": "on", "is_final": "on"},
            "is_final",
            "The initial status can't also be the final one.",
        ),
        (
            {"is_final": "on", "is_inactive": "on"},
            "is_inactive",
            "The final status can't be inactive",
        ),
    ],
)
def test_bad_input_on_the_add_form_is_shown_beside_the_field(
    manager, session_cycle, unchanged, changes, field, message
):
    data = form_data(description="Culling", default_duration="1", position="3")
    data.update(changes)
    with unchanged():
        response = manager.post(create_url(session_cycle.cycle), data)
    assert response.status_code == 422
    assert any(message in error for error in field_errors(response, field)), field_errors(
        response, field
    )
    html = response.content.decode()
    assert 'class="field-error"' in html
    # What was typed stays in the form.
    if "description" not in changes:
        assert 'value="Culling"' in html


def test_an_inactive_department_is_refused_for_a_new_status(manager, session_cycle, unchanged):
    gone = DepartmentFactory(name="Night shift", is_inactive=True)
    form = manager.get(create_url(session_cycle.cycle))
    assert "Night shift" not in text(form)
    with unchanged():
        response = manager.post(
            create_url(session_cycle.cycle),
            form_data(description="Culling", position="3", default_department=gone.pk),
        )
    assert response.status_code == 422
    assert field_errors(response, "default_department")


# Modify -----------------------------------------------------------------------------------------


def test_a_manager_modifies_a_status(manager, session_cycle, people):
    retouching = DepartmentFactory(name="Retouching")
    back = f"{LIST}?cycle={session_cycle.cycle.pk}&inactive=hide"
    form = manager.get(edit_url(session_cycle.shot) + f"?next={back.replace('&', '%26')}")
    assert form.status_code == 200
    assert "Step 2 of Sessions." in text(form)
    assert form.context["form"]["description"].value() == "Shot"

    response = manager.post(
        edit_url(session_cycle.shot),
        form_data(
            session_cycle.shot,
            description="Photographed",
            default_duration="3",
            default_department=retouching.pk,
            default_user=people["manager"].pk,
            next=back,
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"{back}#row-{session_cycle.shot.pk}"
    shot = Status.objects.get(pk=session_cycle.shot.pk)
    assert (shot.description, shot.default_duration) == ("Photographed", 3)
    assert (shot.default_department, shot.default_user) == (retouching, people["manager"])
    assert "Saved “Photographed”." in text(manager.get(back))


def test_making_another_status_initial_moves_the_flag(manager, session_cycle):
    manager.post(edit_url(session_cycle.shot), form_data(session_cycle.shot, is_initial="on"))
    initial = Status.objects.filter(cycle=session_cycle.cycle, is_initial=True)
    assert [s.description for s in initial] == ["Shot"]


@pytest.mark.parametrize(
    ("name", "changes", "field", "message"),
    [
        ("booked", {"is_initial": None}, "is_initial", "A cycle needs an initial status"),
        ("delivered", {"is_final": None}, "is_final", "A cycle needs a final status"),
        ("delivered", {"is_inactive": "on"}, "is_inactive", "The final status can't be inactive"),
        ("booked", {"is_inactive": "on"}, "is_inactive", "The initial status can't be inactive"),
        ("booked", {"is_final": "on"}, "is_final", "This is the cycle's initial status"),
        ("shot", {"description": ""}, "description", "Give the status a description"),
        ("shot", {"default_duration": "-3"}, "default_duration", "can't be negative"),
        ("shot", {"default_duration": "5000"}, "default_duration", "At most 999 business days."),
    ],
)
def test_bad_changes_are_refused_beside_the_field(
    manager, session_cycle, unchanged, name, changes, field, message
):
    status = getattr(session_cycle, name)
    data = form_data(status)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    with unchanged():
        response = manager.post(edit_url(status), data)
    assert response.status_code == 422
    assert any(message in error for error in field_errors(response, field)), field_errors(
        response, field
    )
    # The heading names the status as stored, not as mistyped.
    assert f"<h1>{status.description}" in response.content.decode()


def test_a_status_keeps_a_department_that_has_since_retired_only_while_it_is_unchanged(
    manager, session_cycle
):
    retired = DepartmentFactory(name="Night shift")
    Status.objects.filter(pk=session_cycle.shot.pk).update(default_department=retired)
    retired.is_inactive = True
    retired.save()
    shot = Status.objects.get(pk=session_cycle.shot.pk)
    form = manager.get(edit_url(shot))
    assert "Night shift (inactive)" in text(form)
    response = manager.post(edit_url(shot), form_data(shot, description="Shot!"))
    # The service refuses to keep work going to a retired department; the page says why.
    assert response.status_code == 422
    assert field_errors(response, "default_department") == ["“Night shift” is inactive."]


# Move -------------------------------------------------------------------------------------------


def test_move_up_and_down(manager, session_cycle):
    url = reverse("tracking:status-move", args=[session_cycle.proofing.pk])
    back = f"{LIST}?cycle={session_cycle.cycle.pk}"
    response = manager.post(url, {"direction": "up", "next": back})
    assert response.status_code == 302
    assert response["Location"] == f"{back}#row-{session_cycle.proofing.pk}"
    assert order(session_cycle.cycle) == ["Booked", "Shot", "Proofing", "On hold", "Delivered"]
    assert "Moved “Proofing” up to position 3." in text(manager.get(back))

    manager.post(url, {"direction": "down", "next": back})
    manager.post(url, {"direction": "down", "next": back})
    assert order(session_cycle.cycle) == ["Booked", "Shot", "On hold", "Delivered", "Proofing"]
    assert positions(session_cycle.cycle) == [1, 2, 3, 4, 5]


def test_with_inactive_hidden_a_move_passes_the_hidden_steps(manager, session_cycle):
    back = f"{LIST}?cycle={session_cycle.cycle.pk}&inactive=hide"
    manager.post(
        reverse("tracking:status-move", args=[session_cycle.proofing.pk]),
        {"direction": "up", "next": back},
    )
    assert order(session_cycle.cycle) == ["Booked", "Proofing", "Shot", "On hold", "Delivered"]


def test_the_first_step_has_no_move_up_and_the_last_no_move_down(manager, session_cycle):
    html = manager.get(LIST).content.decode()
    first = re.search(rf'<tr id="row-{session_cycle.booked.pk}".*?</tr>', html, re.S).group(0)
    last = re.search(rf'<tr id="row-{session_cycle.delivered.pk}".*?</tr>', html, re.S).group(0)
    assert re.search(r'value="up" title="Move up" disabled', first)
    assert not re.search(r'value="down" title="Move down" disabled', first)
    assert re.search(r'value="down" title="Move down" disabled', last)


def test_moving_without_a_direction_is_refused(manager, session_cycle, unchanged):
    url = reverse("tracking:status-move", args=[session_cycle.shot.pk])
    with unchanged():
        response = manager.post(url, {"direction": "sideways"})
    assert response.status_code == 400
    assert manager.get(url).status_code == 405


# Delete and make inactive -----------------------------------------------------------------------


def test_an_unused_status_is_deleted_and_the_rest_close_up(manager, session_cycle):
    back = f"{LIST}?cycle={session_cycle.cycle.pk}"
    response = manager.post(
        reverse("tracking:status-delete", args=[session_cycle.shot.pk]), {"next": back}
    )
    assert response.status_code == 302
    assert response["Location"] == back
    assert order(session_cycle.cycle) == ["Booked", "On hold", "Proofing", "Delivered"]
    assert positions(session_cycle.cycle) == [1, 2, 3, 4]
    assert "Deleted “Shot” from Sessions." in text(manager.get(back))


def test_a_used_status_is_not_deleted_and_make_inactive_is_offered(manager, used, unchanged):
    back = f"{LIST}?cycle={used.cycle.pk}&inactive=hide"
    with unchanged():
        response = manager.post(
            reverse("tracking:status-delete", args=[used.shot.pk]), {"next": back}
        )
    assert response.status_code == 409
    page = text(response)
    assert "Not deleted" in page
    assert "“Shot” can't be deleted: it is used by" in page
    assert "Make “Shot” inactive" in page
    # The page is the list as it was: inactive still hidden.
    assert "On hold" not in page

    retire = reverse("tracking:status-inactive", args=[used.shot.pk])
    assert f'action="{retire}"' in response.content.decode()
    done = manager.post(retire, {"inactive": "1", "next": back})
    assert done.status_code == 302
    assert Status.objects.get(pk=used.shot.pk).is_inactive
    assert "“Shot” is now inactive" in text(manager.get(back))

    manager.post(retire, {"inactive": "0", "next": back})
    assert not Status.objects.get(pk=used.shot.pk).is_inactive


@pytest.mark.parametrize(("name", "which"), [("booked", "initial"), ("delivered", "final")])
def test_the_initial_and_final_statuses_are_not_deleted(
    manager, session_cycle, unchanged, name, which
):
    status = getattr(session_cycle, name)
    with unchanged():
        response = manager.post(reverse("tracking:status-delete", args=[status.pk]))
    assert response.status_code == 409
    page = text(response)
    assert f"is the cycle's {which} status: make another one {which}" in page
    # Making it inactive is no way out for these: it isn't offered.
    assert "inactive" not in re.search(r"Not deleted.*?Keep it as it is", page).group(0).lower()


def test_the_final_status_is_not_made_inactive(manager, session_cycle, unchanged):
    back = f"{LIST}?cycle={session_cycle.cycle.pk}"
    with unchanged():
        response = manager.post(
            reverse("tracking:status-inactive", args=[session_cycle.delivered.pk]),
            {"next": back},
        )
    assert response.status_code == 302
    assert "The final status can't be inactive" in text(manager.get(back))


def test_a_write_without_the_csrf_token_is_refused(people, session_cycle, unchanged):
    browser = WebClient(enforce_csrf_checks=True)
    browser.force_login(people["manager"])
    with unchanged():
        response = browser.post(reverse("tracking:status-delete", args=[session_cycle.shot.pk]))
    assert response.status_code == 403


def test_next_pointing_elsewhere_is_ignored(manager, session_cycle):
    response = manager.post(
        reverse("tracking:status-move", args=[session_cycle.shot.pk]),
        {"direction": "down", "next": "https://evil.example/"},
    )
    assert response["Location"] == (
        f"{LIST}?cycle={session_cycle.cycle.pk}#row-{session_cycle.shot.pk}"
    )


# Print and Excel --------------------------------------------------------------------------------


def test_the_print_sheet_lists_the_cycle(manager, session_cycle):
    response = manager.get(LIST, {"cycle": session_cycle.cycle.pk, "print": "1"})
    assert response.status_code == 200
    page = text(response)
    assert "Statuses of Sessions" in page
    assert "inactive included" in page
    assert re.search(r"1 Booked 1 .*Initial Active", page)
    assert re.search(r"3 On hold 0 .*Inactive", page)
    assert "5 statuses" in page
    assert "topbar" not in response.content.decode()

    hidden = text(manager.get(LIST, {"print": "1", "inactive": "hide"}))
    assert "On hold" not in hidden
    assert "4 statuses · 1 inactive not printed" in hidden


def read_xlsx(response) -> tuple[str, list[tuple]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = book.worksheets[0]
    return sheet.title, [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_excel_export_reads_back(manager, session_cycle, people):
    retouching = DepartmentFactory(name="Retouching")
    Status.objects.filter(pk=session_cycle.shot.pk).update(
        default_department=retouching, default_user=people["staff"]
    )
    response = manager.get(LIST, {"cycle": session_cycle.cycle.pk, "format": "xlsx"})
    assert 'filename="statuses-sessions.xlsx"' in response["Content-Disposition"]
    title, rows = read_xlsx(response)
    assert title == "Sessions"
    assert rows == [
        (
            "Position",
            "Description",
            "Default duration (business days)",
            "Default department",
            "Default user",
            "Initial",
            "Final",
            "Inactive",
        ),
        (1, "Booked", 1, None, None, True, False, False),
        (2, "Shot", 2, "Retouching", "Staff", False, False, False),
        (3, "On hold", 0, None, None, False, False, True),
        (4, "Proofing", 3, None, None, False, False, False),
        (5, "Delivered", 0, None, None, False, True, False),
    ]

    _, hidden = read_xlsx(manager.get(LIST, {"format": "xlsx", "inactive": "hide"}))
    assert [row[1] for row in hidden[1:]] == ["Booked", "Shot", "Proofing", "Delivered"]
    assert [row[0] for row in hidden[1:]] == [1, 2, 4, 5]


def test_excel_export_of_a_cycle_whose_name_excel_would_refuse(manager):
    order_type = OrderTypeFactory(name="Prints / Canvas: [big]", kind=OrderKind.PRINT)
    cycle = cycle_create(kind=CycleKind.PRODUCTION, name=order_type.name, order_type=order_type)
    status_add(cycle=cycle, description="Ordered")
    status_add(cycle=cycle, description="Done", is_final=True)
    title, rows = read_xlsx(manager.get(LIST, {"cycle": cycle.pk, "format": "xlsx"}))
    assert title == "Prints   Canvas   big"
    assert [row[1] for row in rows[1:]] == ["Ordered", "Done"]


def test_a_manager_sets_up_an_order_types_cycle(manager):
    albums = OrderTypeFactory(name="Album Order")
    page = text(manager.get(LIST))
    assert "Cycles still to set up" in page and "Album Order" in page
    answer = manager.post("/maintenance/statuses/cycles/new/", {"scope": f"production:{albums.pk}"})
    cycle = Cycle.objects.get(order_type=albums)
    assert answer.status_code == 302 and answer["Location"].endswith(f"?cycle={cycle.pk}")
    refused = manager.post("/maintenance/statuses/cycles/new/", {"scope": "nonsense"}, follow=True)
    assert "Choose one of the cycles still to set up." in text(refused)
    assert Cycle.objects.count() == 1
