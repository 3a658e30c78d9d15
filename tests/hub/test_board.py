"""The board at /production/board/: a column per active status of a cycle, each paged on its own,
and a card moved to another column through the status-change service (stale cards and statuses
of another cycle refused, nothing changed)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darkroom.production.models import PreproductionOrder, ProductionOrder
from tests.hub.test_pages import history, hub_world, key, production_order, text, today

# The hub sorts and flags orders around today: today is pinned.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ordinary_day")]

BOARD = "/production/board/"
MOVE = "/production/board/move/"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def hub(people):
    return hub_world(people)


def cards(response, column=None) -> list[str]:
    """The cards of the board (or of one column), as "kind-id", in order."""
    page = response.content.decode()
    if column is not None:
        page = re.search(
            rf'<ol class="board-cards" id="cards-{column.pk}".*?</ol>', page, re.S
        ).group(0)
    return re.findall(r'<li class="board-card[^"]*" id="card-([a-z]+-\d+)"', page)


def column_names(response) -> list[str]:
    return re.findall(r'<h2 id="col-\d+">([^<]+)</h2>', response.content.decode())


def test_the_board_shows_a_column_per_active_status_of_the_chosen_cycle(hub, web):
    response = web("readonly").get(BOARD)
    assert response.status_code == 200
    assert column_names(response) == ["Sent", "Printed", "Picked up"]  # the prints cycle, in order
    sent = hub.prints.statuses[0]
    assert set(cards(response, sent)) == {
        key(o) for o in (hub.late, hub.late_too, hub.framed, hub.on_time, hub.risky)
    }
    assert cards(response, hub.prints.statuses[1]) == []
    page = response.content.decode()
    card = re.search(rf'id="card-{key(hub.late)}".*?</li>', page, re.S).group(0)
    assert "Lovelace" in card and "#1001" in card and "Bay Lab" in card and ">Overdue<" in card
    assert 'draggable="true"' not in card and "Move to" not in card  # read-only people look only
    assert re.search(rf'<span class="column-count" id="count-{sent.pk}"[^>]*>5</span>', page)
    proofs = web("readonly").get(BOARD, {"cycle": hub.proofs.cycle.pk})
    assert column_names(proofs) == ["Proofing", "Proofs back", "Chosen"]
    assert cards(proofs) == [key(hub.proof)]


def test_the_board_filters_its_cards_like_the_hub(hub, web):
    response = web("readonly").get(BOARD, {"vendor": hub.framer.pk, "flag": "overdue"})
    assert cards(response) == [key(hub.framed)]
    assert re.search(
        rf'<option value="{hub.framer.pk}" selected>Frame Co</option>', response.content.decode()
    )


@pytest.mark.parametrize(
    ("params", "said"),
    [
        ({"cycle": "999999"}, "is not a cycle of production or proof orders"),
        ({"cycle": "abc"}, "is not a cycle of production or proof orders"),
        ({"flag": "someday"}, "Unknown flag"),
        ({"vendor": "x"}, "is not a vendor id"),
    ],
)
def test_a_board_address_that_cant_be_read_is_said(hub, web, params, said):
    response = web("readonly").get(BOARD, params)
    assert response.status_code == 400
    assert said in text(response) and cards(response) == []


def test_each_column_pages_on_its_own(hub, web):
    for n in range(18):
        production_order(
            hub.prints,
            hub.by,
            on=today(),
            vendor=hub.lab,
            last_name=f"Extra{n:02d}",
            number=f"4{n:03d}",
        )
    sent = hub.prints.statuses[0]
    response = web("readonly").get(BOARD)
    first = cards(response, sent)
    assert len(first) == 20
    more = re.search(
        rf'hx-get="(/production/board/columns/{sent.pk}/\?[^"]*cursor=[^"]+)"',
        response.content.decode(),
    ).group(1)
    rest = web("readonly").get(more.replace("&amp;", "&"))
    assert rest.status_code == 200
    assert len(cards(rest)) == 3 and not set(cards(rest)) & set(first)
    assert "Show more" not in rest.content.decode()


@pytest.mark.parametrize(
    ("path", "params", "said"),
    [
        ("columns/{sent}/", {"cursor": "broken"}, "This cursor is not one the hub gave"),
        ("columns/{proofing}/", {}, "This column is not on the board"),
        ("columns/{sent}/", {"cycle": "0"}, "is not a cycle"),
    ],
)
def test_a_column_page_that_cant_be_read_says_so_in_its_place(hub, web, path, params, said):
    url = BOARD + path.format(sent=hub.prints.statuses[0].pk, proofing=hub.proofs.statuses[0].pk)
    response = web("readonly").get(url, params)
    assert response.status_code == 200  # htmx puts it where the cards would be
    assert said in text(response) and cards(response) == []


# Moving a card ----------------------------------------------------------------------------------


def move(client, order, to_status, *, version=None, htmx=True, **extra):
    data = {
        "kind": "production" if isinstance(order, ProductionOrder) else "preproduction",
        "id": order.pk,
        "version": order.version if version is None else version,
        "to_status": to_status.pk if hasattr(to_status, "pk") else to_status,
        "next": f"{BOARD}?cycle={to_status.cycle_id}" if hasattr(to_status, "cycle_id") else BOARD,
        **extra,
    }
    return client.post(MOVE, data, headers=HTMX if htmx else {})


def test_a_card_moved_to_another_column_changes_the_order_s_status(hub, web):
    sent, printed = hub.prints.statuses[:2]
    response = move(web("staff"), hub.late, printed)
    assert response.status_code == 200
    order = ProductionOrder.objects.get(pk=hub.late.pk)
    assert order.status == printed and order.version == hub.late.version + 1
    answer = response.content.decode()
    column = re.search(
        rf'<ol class="board-cards" id="cards-{printed.pk}"[^>]*hx-swap-oob="true"', answer
    )
    assert column and key(hub.late) in answer  # the column it went to, afresh, with the card
    assert re.search(rf'id="count-{sent.pk}" hx-swap-oob="true"[^>]*>4<', answer)
    assert re.search(rf'id="count-{printed.pk}" hx-swap-oob="true"[^>]*>1<', answer)
    assert 'id="hub-summary"' in answer and "Moved order #1001 to “Printed”." in answer
    assert f'name="version" value="{order.version}"' in answer  # the moved card can move again


def test_without_javascript_a_move_comes_back_to_the_board_with_a_message(hub, web):
    printed = hub.prints.statuses[1]
    staff = web("staff")
    response = move(staff, hub.late, printed, htmx=False)
    assert (
        response.status_code == 302 and response["Location"] == f"{BOARD}?cycle={printed.cycle_id}"
    )
    assert "Moved order #1001 to “Printed”." in text(staff.get(response["Location"]))
    assert ProductionOrder.objects.get(pk=hub.late.pk).status == printed
    stale = move(staff, hub.late, hub.prints.statuses[0], htmx=False)
    assert stale.status_code == 302
    assert "Someone else moved this order" in text(staff.get(stale["Location"]))


def test_a_card_someone_else_moved_is_refused_and_nothing_changes(hub, web):
    sent, printed = hub.prints.statuses[:2]
    move(web("manager"), hub.late, printed)  # someone else, first
    before = history()
    response = move(web("staff"), hub.late, sent)  # the card still shows the old version
    assert response.status_code == 409
    assert (
        response["HX-Retarget"] == f"#msg-{key(hub.late)}" and response["HX-Reswap"] == "innerHTML"
    )
    assert "Someone else moved this order — reload" in text(response)
    assert history() == before


def test_a_card_moved_to_a_status_of_another_cycle_is_refused(hub, web):
    before = history()
    response = move(web("staff"), hub.late, hub.proofs.statuses[1])
    assert response.status_code == 422
    assert "Not moved:" in text(response) and "is a status of another cycle" in text(response)
    assert history() == before
    proof = move(web("staff"), hub.proof, hub.prints.statuses[1])
    assert proof.status_code == 422 and "another cycle" in text(proof)
    assert history() == before


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "album", "id": "1", "version": "1", "to_status": "1"},
        {"kind": "production", "id": "x", "version": "1", "to_status": "1"},
        {"kind": "production", "id": "1", "version": "-1", "to_status": "1"},
        {"kind": "production", "id": "1", "version": "1", "to_status": "99999999999"},
    ],
)
def test_a_move_that_cant_be_read_changes_nothing(hub, web, data):
    before = history()
    response = web("staff").post(MOVE, data, headers=HTMX)
    assert response.status_code == 400
    assert "This card could not be read" in text(response)
    assert history() == before


def test_a_move_of_an_order_or_to_a_column_that_is_gone(hub, web):
    before = history()
    gone = move(web("staff"), hub.late, 987654)
    assert gone.status_code == 422 and "That column no longer exists" in text(gone)
    missing = web("staff").post(
        MOVE,
        {
            "kind": "preproduction",
            "id": 987654,
            "version": 1,
            "to_status": hub.proofs.statuses[1].pk,
        },
        headers=HTMX,
    )
    assert missing.status_code == 404 and "This order no longer exists" in text(missing)
    final = move(web("staff"), hub.late, hub.late.status)
    assert final.status_code == 422 and "is already “Sent”" in text(final)
    assert history() == before


def test_staff_get_a_drag_handle_and_a_keyboard_way_on_each_card(hub, web):
    page = web("staff").get(BOARD).content.decode()
    card = re.search(rf'id="card-{key(hub.late)}".*?</li>', page, re.S).group(0)
    assert 'draggable="true"' in card
    label = f'<label class="visually-hidden" for="move-{key(hub.late)}">'
    assert f"{label}Move order #1001 for Ann Lovelace to</label>" in card
    options = re.findall(r'<option value="(\d*)">([^<]+)</option>', card)
    assert [name for _, name in options] == ["Move to…", "Printed", "Picked up"]  # not its own
    assert web("readonly").post(MOVE, {}).status_code == 403


def test_the_board_runs_the_same_number_of_queries_for_3_cards_as_for_40(hub, web):
    staff = web("staff")
    urls = [BOARD, f"{BOARD}?vendor={hub.lab.pk}", f"{BOARD}columns/{hub.prints.statuses[0].pk}/"]

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(url).status_code == 200
        return len(captured)

    few = [count(url) for url in urls]
    for n in range(37):
        production_order(
            hub.prints,
            hub.by,
            on=today(),
            vendor=hub.lab,
            last_name=f"More{n:02d}",
            number=f"5{n:03d}",
        )
    assert ProductionOrder.objects.filter(completed_date__isnull=True).count() == 42
    assert [count(url) for url in urls] == few
    # A move answers with the same few queries however full the board is.
    with CaptureQueriesContext(connection) as captured:
        assert move(staff, hub.late, hub.prints.statuses[1]).status_code == 200
    assert len(captured) < 40


def test_proof_orders_move_on_their_own_board(hub, web):
    back = hub.proofs.statuses[1]
    response = move(web("staff"), hub.proof, back)
    assert response.status_code == 200
    assert PreproductionOrder.objects.get(pk=hub.proof.pk).status == back
    assert key(hub.proof) in response.content.decode()
