"""Every maintenance list's page: who sees it, sort, search, filters, inactive rows, Excel and
print."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from darkroom.maintenance.registry import maintenance_list
from darkroom.maintenance.selectors import list_columns
from tests import factories as f
from tests.maintenance.conftest import (
    ENTRIES,
    RETIRABLE,
    SAMPLES,
    ids,
    list_url,
    row_ids,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db


def test_every_list_has_a_sample():
    assert {e.slug for e in ENTRIES} == set(SAMPLES)
    for entry in ENTRIES:
        assert set(SAMPLES[entry.slug].filters) == set(entry.filters), entry.slug


@pytest.mark.parametrize("role", ["manager", "staff", "readonly"])
@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_list_renders_for_each_role(web, three, entry, role):
    records = three(entry)
    page = web(role).get(list_url(entry))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"<h1>{entry.title}</h1>" in html
    assert sorted(row_ids(page.content)) == sorted(r.pk for r in records)
    for column in list_columns(entry):
        assert column.label in html
    assert "data-search" in html
    maintains = role == "manager"
    assert (f'href="/maintenance/{entry.slug}/new/' in html) is maintains
    assert (">Edit<" in html) is maintains
    assert ("/move/" in html) is (maintains and entry.ordered)
    if not maintains:
        assert ">View<" in html


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_index_shows_every_list(web, entry):
    page = web("readonly").get("/maintenance/")
    assert page.status_code == 200
    assert f'href="/maintenance/{entry.slug}/"' in page.content.decode()
    assert escape(entry.description) in page.content.decode()


def test_index_groups_lists_and_adds_studio_pages(web):
    html = web("staff").get("/maintenance/").content.decode()
    for group in {e.group for e in ENTRIES}:
        assert f">{group}</h2>" in html
    assert 'href="/maintenance/studio/"' in html
    assert 'href="/maintenance/people/"' in html


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_sort_by_first_column_both_ways(web, three, entry):
    bravo, alpha, charlie = three(entry)
    first = entry.columns[0]
    client = web("manager")
    ascending = client.get(list_url(entry), {"sort": first})
    assert row_ids(ascending.content) == [alpha.pk, bravo.pk, charlie.pk]
    assert b'aria-sort="ascending"' in ascending.content
    descending = client.get(list_url(entry), {"sort": f"-{first}"})
    assert row_ids(descending.content) == [charlie.pk, bravo.pk, alpha.pk]
    assert b'aria-sort="descending"' in descending.content
    # The heading of the sorted column offers the other direction.
    assert f"?sort=-{first}".encode() in ascending.content


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_sort_on_an_unknown_field_falls_back_to_the_list_order(web, three, entry):
    three(entry)
    client = web("manager")
    plain = client.get(list_url(entry))
    for bogus in ("password", "-id__gt", "--name", "is_inactive"):
        page = client.get(list_url(entry), {"sort": bogus})
        assert page.status_code == 200
        assert row_ids(page.content) == row_ids(plain.content)


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_search_finds_by_its_fields(web, three, entry):
    _, alpha, charlie = three(entry)
    client = web("manager")
    assert row_ids(client.get(list_url(entry), {"q": "alph"}).content) == [alpha.pk]
    assert row_ids(client.get(list_url(entry), {"q": "CHARLIE"}).content) == [charlie.pk]
    nothing = client.get(list_url(entry), {"q": "zzz-none"})
    assert row_ids(nothing.content) == []
    assert b"Nothing matches" in nothing.content


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_filters_show_only_matching_rows(web, entry):
    client = web("manager")
    sample = SAMPLES[entry.slug]
    page = client.get(list_url(entry))
    form = page.context["filter_form"]
    assert set(form.fields) == {"q", *entry.filters}
    for n, (name, prepare) in enumerate(sample.filters.items()):
        fields, value_of = prepare()
        chosen = sample.make(f"Pick{n}", **fields)
        other = sample.make(f"Other{n}")
        value = value_of(chosen)
        shown = row_ids(client.get(list_url(entry), {name: value}).content)
        assert chosen.pk in shown and other.pk not in shown, name
        # A value that means nothing is ignored rather than failing the page.
        assert client.get(list_url(entry), {name: "no-such-value"}).status_code == 200
        chosen.delete()
        other.delete()


def test_boolean_filter_also_answers_no(web):
    entry = maintenance_list("vendors")
    in_house = f.VendorFactory(name="Our printer", is_in_house=True)
    lab = f.VendorFactory(name="Bay lab")
    shown = row_ids(web("staff").get(list_url(entry), {"is_in_house": "no"}).content)
    assert lab.pk in shown and in_house.pk not in shown


@pytest.mark.parametrize("entry", RETIRABLE, ids=ids)
def test_inactive_rows_hidden_until_asked_for(web, three, entry):
    three(entry)
    retired = SAMPLES[entry.slug].make("Delta", is_inactive=True)
    client = web("readonly")
    hidden = client.get(list_url(entry))
    assert retired.pk not in row_ids(hidden.content)
    assert b'aria-pressed="true"' in hidden.content and b"Hide inactive" in hidden.content
    shown = client.get(list_url(entry), {"inactive": "show"})
    assert retired.pk in row_ids(shown.content)
    html = shown.content.decode()
    row = html[html.index(f'<tr id="row-{retired.pk}"') :].split("</tr>")[0]
    assert 'class="is-inactive"' in row
    assert '<span class="badge badge-inactive">inactive</span>' in row
    assert b'aria-pressed="false"' in shown.content


def test_lists_that_cannot_retire_have_no_inactive_toggle(web, three):
    entry = maintenance_list("vendor-products")
    assert not entry.retirable
    three(entry)
    assert b"Hide inactive" not in web("manager").get(list_url(entry)).content


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_excel_export_has_the_columns_and_the_filtered_rows(web, three, entry):
    bravo, alpha, charlie = three(entry)
    retired = SAMPLES[entry.slug].make("Delta", is_inactive=True) if entry.retirable else None
    first = entry.columns[0]
    client = web("readonly")
    page = client.get(list_url(entry), {"sort": f"-{first}"})
    assert b"format=xlsx" in page.content
    response = client.get(list_url(entry), {"sort": f"-{first}", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f'filename="{entry.slug}.xlsx"' in response["Content-Disposition"]
    rows = xlsx_rows(response.content)
    headers = [c.label for c in list_columns(entry)] + (["Inactive"] if entry.retirable else [])
    assert rows[0] == headers
    assert [r[0] for r in rows[1:]] == _firsts(entry, [charlie, bravo, alpha])
    if entry.retirable:
        assert all(r[-1] is False for r in rows[1:])
        everything = xlsx_rows(
            client.get(list_url(entry), {"format": "xlsx", "inactive": "show"}).content
        )
        assert [r[-1] for r in everything[1:] if r[0] == _firsts(entry, [retired])[0]] == [True]
    searched = xlsx_rows(client.get(list_url(entry), {"format": "xlsx", "q": "bravo"}).content)
    assert [r[0] for r in searched[1:]] == _firsts(entry, [bravo])


def _firsts(entry, records):
    """What the first column of each record says in the export."""
    from darkroom.maintenance.selectors import cell_value

    return [cell_value(r, entry.columns[0]) for r in records]


def test_excel_export_keeps_numbers_as_numbers(web):
    entry = maintenance_list("price-list-items")
    item = f.PriceListItemFactory(identifier="ALB1", item_type="album", group="Albums")
    rows = xlsx_rows(web("manager").get(list_url(entry), {"format": "xlsx"}).content)
    assert rows[1] == [
        "ALB1",
        item.description,
        "Album",
        "Albums",
        25,
        8,
        item.preferred_vendor.name,
        False,
    ]


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_print_page_has_the_rows_and_no_page_chrome(web, three, entry):
    three(entry)
    client = web("staff")
    page = client.get(list_url(entry), {"print": "1", "q": "a"})  # all three contain an "a"
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="topbar"' not in html
    assert 'class="print-sheet"' in html
    assert "maintenance.css" in html
    assert f"<h1>{entry.title}</h1>" in html
    for label in ("Alpha", "Bravo", "Charlie"):
        assert label in html
    assert "search “a”" in html
    listing = client.get(list_url(entry))
    assert b"print=1" in listing.content


def test_long_lists_are_paged(web):
    entry = maintenance_list("reorder-reasons")
    for n in range(105):
        f.ReorderReasonFactory(description=f"Reason {n:03d}")
    client = web("manager")
    first = client.get(list_url(entry))
    assert len(row_ids(first.content)) == 100
    assert b'rel="next"' in first.content and b'rel="prev"' not in first.content
    second = client.get(list_url(entry), {"page": "2"})
    assert len(row_ids(second.content)) == 5
    assert b'rel="prev"' in second.content and b'rel="next"' not in second.content
    assert b"Rows 101\xe2\x80\x93105" in second.content
    # The export and the printout take every row, whatever page is shown.
    assert (
        len(xlsx_rows(client.get(list_url(entry), {"format": "xlsx", "page": "2"}).content)) == 106
    )
    assert client.get(list_url(entry), {"page": "banana"}).status_code == 200


def test_list_queries_do_not_grow_with_rows(web, django_assert_max_num_queries):
    entry = maintenance_list("price-list-items")
    client = web("manager")
    f.PriceListItemFactory.create_batch(3)
    client.get(list_url(entry))
    with django_assert_max_num_queries(12) as few:
        client.get(list_url(entry))
    counted = len(few.captured_queries)
    f.PriceListItemFactory.create_batch(20)
    client.get(list_url(entry))  # the new rows' vendors moved the lists stamp: read them once
    with django_assert_max_num_queries(counted):
        client.get(list_url(entry))


def test_unknown_list_is_404(web):
    client = web("manager")
    assert client.get("/maintenance/no-such-list/").status_code == 404
    assert client.get("/maintenance/no-such-list/new/").status_code == 404
    assert client.post("/maintenance/no-such-list/1/delete/").status_code == 404


def test_anonymous_is_sent_to_log_in(client, db):
    for url in ("/maintenance/", "/maintenance/vendors/", "/maintenance/vendors/new/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")
