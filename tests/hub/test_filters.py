"""Reading the hub's filter from a query string: every parameter, repeated ids, and refusals
that name the parameter (an id that names nothing is refused, not ignored)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from darkroom.hub.filters import FLAGS, SORTS, HubFilter, hub_filter_params, parse_hub_filter
from darkroom.tracking.models import CycleKind
from darkroom.tracking.services import cycle_create, status_add
from tests import factories as f


@pytest.fixture
def named(db):
    """One record of each kind a filter names."""
    kind = f.OrderTypeFactory(name="Albums")
    cycle = cycle_create(kind=CycleKind.PRODUCTION, name="Albums", order_type=kind)
    return {
        "order_type": kind,
        "status": status_add(cycle=cycle, description="Design"),
        "vendor": f.VendorFactory(),
        "department": f.DepartmentFactory(),
        "user": f.UserFactory(),
        "priority": f.PriorityCodeFactory(),
    }


FIELDS = {
    "order_type": "order_types",
    "status": "statuses",
    "vendor": "vendors",
    "department": "departments",
    "user": "users",
    "priority": "priorities",
}


def refusal(params) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        parse_hub_filter(params)
    return refused.value.message_dict


def test_no_parameters_is_every_open_order_by_due_date(db):
    assert parse_hub_filter(QueryDict("")) == HubFilter()
    assert parse_hub_filter({}) == HubFilter()
    assert hub_filter_params(HubFilter()) == []


def test_every_parameter_is_read(named):
    query = QueryDict(mutable=True)
    for name, record in named.items():
        query.setlist(name, [str(record.pk)])
    query.update(
        {
            "kind": "production",
            "flag": "at_risk",
            "due_before": "2026-12-01",
            "q": "  Anna   Smith ",
            "sort": "-client",
            "cursor": "ignored here",
            "limit": "10",
        }
    )
    got = parse_hub_filter(query)
    assert got == HubFilter(
        kind="production",
        flag="at_risk",
        due_before=dt.date(2026, 12, 1),
        q="Anna Smith",
        sort="-client",
        **{FIELDS[name]: (record.pk,) for name, record in named.items()},
    )


def test_ids_may_repeat_and_empty_choices_mean_any(named):
    other = f.VendorFactory()
    vendor = named["vendor"]
    query = QueryDict(f"vendor={vendor.pk}&vendor={other.pk}&vendor={vendor.pk}&status=&flag=")
    assert parse_hub_filter(query) == HubFilter(vendors=(vendor.pk, other.pk))
    assert parse_hub_filter({"vendor": [str(other.pk)], "user": ""}) == HubFilter(
        vendors=(other.pk,)
    )


@pytest.mark.parametrize("flag", list(FLAGS))
def test_each_flag(db, flag):
    assert parse_hub_filter({"flag": flag}).flag == flag


@pytest.mark.parametrize("sort", list(SORTS))
def test_each_sort(db, sort):
    assert parse_hub_filter({"sort": sort}).sort == sort


@pytest.mark.parametrize("kind", ["all", "production", "preproduction"])
def test_each_kind(db, kind):
    assert parse_hub_filter({"kind": kind}).kind == kind


@pytest.mark.parametrize(
    ("params", "name", "words"),
    [
        ({"kind": "invoices"}, "kind", "Unknown kind “invoices”"),
        ({"flag": "late"}, "flag", "Unknown flag “late”"),
        ({"sort": "colour"}, "sort", "Unknown sort “colour”"),
        ({"sort": ["due", "-due"]}, "sort", "Give one sort, not 2."),
        ({"due_before": "2026-02-30"}, "due_before", "is not a date: write it YYYY-MM-DD"),
        ({"due_before": "20260203"}, "due_before", "is not a date"),
        ({"due_before": "2026-2-3"}, "due_before", "is not a date"),
        ({"due_before": "tomorrow"}, "due_before", "is not a date"),
        ({"vendor": "bay"}, "vendor", "“bay” is not a vendor id (a number)."),
        ({"status": "-3"}, "status", "is not a status id"),
        ({"user": "0"}, "user", "is not a user id"),
        ({"department": "1.5"}, "department", "is not a department id"),
        ({"priority": "٣"}, "priority", "is not a priority code id"),  # an Arabic-Indic 3
        ({"order_type": "9" * 30}, "order_type", "is not a production order type id"),
        ({"vendor": "999999"}, "vendor", "There is no vendor 999999."),
        ({"q": "x" * 101}, "q", "Search for at most 100 characters."),
        ({"vendor": [str(n) for n in range(1, 60)]}, "vendor", "Choose at most 50 of them."),
    ],
)
def test_bad_values_are_refused_by_parameter(db, params, name, words):
    messages = refusal(params)
    assert list(messages) == [name]
    assert words in messages[name][0]


def test_every_bad_parameter_is_named_at_once(named):
    messages = refusal(
        QueryDict(f"flag=soon&vendor={named['vendor'].pk}&vendor=424242&status=x&due_before=x")
    )
    assert set(messages) == {"flag", "vendor", "status", "due_before"}
    assert messages["vendor"] == ["There is no vendor 424242."]


@pytest.mark.parametrize("name", list(FIELDS))
def test_an_id_that_names_nothing_is_refused(named, name):
    record = named[name]
    assert getattr(parse_hub_filter({name: str(record.pk)}), FIELDS[name]) == (record.pk,)
    missing = record.pk + 1000
    assert refusal({name: [str(record.pk), str(missing)]}) == {
        name: [f"There is no {refusal_words(name)} {missing}."]
    }


def refusal_words(name: str) -> str:
    return {"order_type": "production order type", "priority": "priority code"}.get(name, name)


def test_the_query_string_asks_for_the_same_filter_again(named):
    flt = HubFilter(
        kind="preproduction",
        statuses=(named["status"].pk,),
        vendors=(named["vendor"].pk,),
        departments=(named["department"].pk,),
        users=(named["user"].pk,),
        order_types=(named["order_type"].pk,),
        priorities=(named["priority"].pk,),
        flag="due_this_week",
        due_before=dt.date(2027, 1, 31),
        q="de Vries",
        sort="-number",
    )
    params = hub_filter_params(flt)
    query = QueryDict(mutable=True)
    for key, value in params:
        query.appendlist(key, value)
    assert parse_hub_filter(query) == flt
    assert ("sort", "-number") in params and ("due_before", "2027-01-31") in params
