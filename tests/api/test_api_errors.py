"""Refusals: bad input, unknown ids, records in use, roles, authentication, CSRF — each answers
``{"detail": ..., "code": ...}`` with a 4xx, changes nothing, and never a 500. And OpenAPI
documents it all."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client

from darkroom.catalog.models import PriceListItem
from tests import factories as f
from tests.maintenance.samples import ENTRIES, ORDERED, SAMPLES, ids, snapshot

pytestmark = pytest.mark.django_db


def refused(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["detail"]
    return body


def item_body(**changes):
    body = {"identifier": "P810", "description": "8x10 print", "price": "25.00"}
    return {**body, **changes}


# ---------------------------------------------------------------- bad values


def test_identifier_is_unique_whatever_its_capitals(api):
    f.PriceListItemFactory(identifier="CANVAS20")
    before = list(PriceListItem.objects.values())
    body = refused(
        api("manager").post("price-list-items", item_body(identifier="canvas20")), 409, "duplicate"
    )
    assert "already has this identifier" in body["detail"]
    assert list(PriceListItem.objects.values()) == before


def test_identifier_over_12_characters_is_refused(api):
    body = refused(
        api("manager").post("price-list-items", item_body(identifier="ABCDEFGHIJKLM")),
        422,
        "invalid",
    )
    assert "identifier" in body["detail"]
    assert not PriceListItem.objects.exists()


def test_identifier_with_other_than_letters_and_digits_is_refused(api):
    body = refused(
        api("manager").post("price-list-items", item_body(identifier="8x10-L")), 422, "invalid"
    )
    assert "letters and digits" in body["detail"]
    assert body["fields"] == {"identifier": ["Use only letters and digits (at most 12)."]}
    assert not PriceListItem.objects.exists()


def test_negative_price_and_cost_are_refused_on_create_and_change(api):
    caller = api("manager")
    body = refused(caller.post("price-list-items", item_body(price="-1.00")), 422, "invalid")
    assert "price" in body["fields"]
    refused(caller.post("price-list-items", item_body(cost=-3)), 422, "invalid")
    assert not PriceListItem.objects.exists()
    item = f.PriceListItemFactory()
    refused(caller.patch(f"price-list-items/{item.pk}", {"price": "-0.01"}), 422, "invalid")
    item.refresh_from_db()
    assert item.price == Decimal("25.00")


def test_prices_with_too_many_decimals_or_digits_are_refused(api):
    caller = api("manager")
    refused(caller.post("price-list-items", item_body(price="1.001")), 422, "invalid")
    refused(caller.post("price-list-items", item_body(price="123456789012.00")), 422, "invalid")
    refused(caller.post("price-list-items", item_body(price="NaN")), 422, "invalid")
    assert not PriceListItem.objects.exists()


def test_a_price_may_be_a_number_and_answers_as_a_string(api):
    response = api("manager").post("price-list-items", item_body(price=19.5))
    assert response.status_code == 201, response.content
    assert response.json()["price"] == "19.50"


def test_unknown_reference_id_names_the_field(api):
    caller = api("manager")
    body = refused(
        caller.post("price-list-items", item_body(preferred_vendor=987654)), 422, "invalid"
    )
    assert body["fields"] == {"preferred_vendor": ["There is no vendor with id 987654."]}
    assert "preferred_vendor" in body["detail"]
    body = refused(
        caller.post("price-list-items", item_body(render_profile=10**30)), 422, "invalid"
    )
    assert not PriceListItem.objects.exists()


def test_unknown_members_are_refused(api, people):
    department = f.DepartmentFactory()
    body = refused(
        api("manager").patch(
            f"departments/{department.pk}", {"members": [people["staff"].pk, 424242]}
        ),
        422,
        "invalid",
    )
    assert "424242" in body["detail"]
    assert not department.members.exists()


def test_a_new_reference_to_an_inactive_record_is_refused(api):
    retired = f.VendorFactory(name="Old lab", is_inactive=True)
    caller = api("manager")
    body = refused(
        caller.post("price-list-items", item_body(preferred_vendor=retired.pk)), 422, "invalid"
    )
    assert body["fields"]["preferred_vendor"] == [
        "Vendor “Old lab” is inactive; choose an active vendor."
    ]
    assert not PriceListItem.objects.exists()
    item = f.PriceListItemFactory()
    refused(
        caller.patch(f"price-list-items/{item.pk}", {"preferred_vendor": retired.pk}),
        422,
        "invalid",
    )
    item.refresh_from_db()
    assert item.preferred_vendor_id != retired.pk


def test_a_record_keeps_its_reference_to_a_record_made_inactive_since(api):
    item = f.PriceListItemFactory()
    vendor = item.preferred_vendor
    vendor.is_inactive = True
    vendor.save()
    caller = api("manager")
    response = caller.patch(f"price-list-items/{item.pk}", {"description": "Still sold"})
    assert response.status_code == 200, response.content
    response = caller.put(
        f"price-list-items/{item.pk}",
        item_body(preferred_vendor=vendor.pk, identifier=item.identifier),
    )
    assert response.status_code == 200, response.content
    assert response.json()["preferred_vendor"] == vendor.pk


def test_inactive_people_do_not_join_departments(api, people):
    gone = f.UserFactory(username="gone", is_active=False)
    department = f.DepartmentFactory()
    body = refused(
        api("manager").patch(f"departments/{department.pk}", {"members": [gone.pk]}), 422, "invalid"
    )
    assert "inactive" in body["detail"]
    assert not department.members.exists()


def test_malformed_json_is_a_400_with_detail_and_code(api):
    response = api("manager").post("vendors", raw='{"name": "Lab",')
    refused(response, 400, "bad_request")
    response = api("manager").post("vendors", raw="not json at all")
    refused(response, 400, "bad_request")


@pytest.mark.parametrize(
    "body",
    [
        ["a", "list"],
        "a string",
        {"name": 123},
        {"name": None},
        {"name": "Lab", "is_in_house": "perhaps"},
        {"name": "Lab", "next_order_number": "next"},
        {"name": "Lab", "next_order_number": -1},
        {"name": "Lab", "next_order_number": 2**40},
        {"name": "Lab", "default_order_type": "album"},
        {"name": "Lab", "email": "not an address"},
        {"name": "Lab", "colour": "blue"},
        {"name": "x" * 121},
        {"name": "Lab\x00"},
        {"name": ""},
        {},
    ],
    ids=lambda body: json.dumps(body)[:40],
)
def test_wrong_types_and_values_are_422_and_change_nothing(api, body):
    f.VendorFactory(name="Existing")
    before = snapshot(next(e for e in ENTRIES if e.slug == "vendors"))
    refused(api("manager").post("vendors", body), 422, "invalid")
    assert snapshot(next(e for e in ENTRIES if e.slug == "vendors")) == before


def test_null_for_a_field_that_must_have_a_value_is_refused_by_patch(api):
    vendor = f.VendorFactory(name="Lab")
    caller = api("manager")
    refused(caller.patch(f"vendors/{vendor.pk}", {"name": None}), 422, "invalid")
    refused(caller.patch(f"vendors/{vendor.pk}", {"is_in_house": None}), 422, "invalid")
    response = caller.patch(f"vendors/{vendor.pk}", {"default_order_type": None})
    assert response.status_code == 200
    vendor.refresh_from_db()
    assert vendor.name == "Lab"


def test_duplicate_names_are_refused(api):
    f.VendorFactory(name="Lab")
    body = refused(api("manager").post("vendors", {"name": "Lab"}), 409, "duplicate")
    assert list(body["fields"]) == ["name"]


# ---------------------------------------------------------------- unknown ids


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_unknown_id_is_404_for_every_verb(api, people, entry):
    caller = api("manager")
    for record_id in (987654, 0, 10**30):
        path = f"{entry.slug}/{record_id}"
        refused(caller.get(path), 404, "not_found")
        refused(caller.put(path, SAMPLES[entry.slug].body(people)), 404, "not_found")
        name, value = SAMPLES[entry.slug].change
        refused(caller.patch(path, {name: value}), 404, "not_found")
        refused(caller.delete(path), 404, "not_found")
    refused(caller.get(f"{entry.slug}/abc"), 422, "invalid")


@pytest.mark.parametrize("entry", ORDERED, ids=ids)
def test_moving_an_unknown_record_is_404(api, entry):
    refused(api("manager").post(f"{entry.slug}/987654/move", {"direction": "up"}), 404, "not_found")


# ---------------------------------------------------------------- roles and authentication


@pytest.mark.parametrize("role", ["staff", "readonly"])
@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_only_managers_write_maintenance_lists(api, people, role, entry):
    record = SAMPLES[entry.slug].make()
    other = SAMPLES[entry.slug].make()
    body = SAMPLES[entry.slug].body(people)
    before = snapshot(entry)
    caller = api(role)
    name, value = SAMPLES[entry.slug].change
    refused(caller.post(entry.slug, body), 403, "permission_denied")
    refused(caller.put(f"{entry.slug}/{record.pk}", body), 403, "permission_denied")
    refused(caller.patch(f"{entry.slug}/{record.pk}", {name: value}), 403, "permission_denied")
    refused(caller.delete(f"{entry.slug}/{record.pk}"), 403, "permission_denied")
    if entry.ordered:
        refused(
            caller.post(f"{entry.slug}/{other.pk}/move", {"direction": "up"}),
            403,
            "permission_denied",
        )
    assert snapshot(entry) == before
    # Looking is allowed.
    assert caller.get(entry.slug).status_code == 200
    assert caller.get(f"{entry.slug}/{record.pk}").status_code == 200


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_anonymous_and_bad_tokens_are_401(api, people, entry):
    record = SAMPLES[entry.slug].make()
    before = snapshot(entry)
    anonymous = api(None)
    forged = api(None)
    forged.headers = {"Authorization": "Bearer drk_not-a-real-token"}
    basic = api(None)
    basic.headers = {"Authorization": "Basic bWFuYWdlcjpjb3JyZWN0LWhvcnNlLWJhdHRlcnk="}
    for caller in (anonymous, forged, basic):
        refused(caller.get(entry.slug), 401, "not_authenticated")
        refused(caller.get(f"{entry.slug}/{record.pk}"), 401, "not_authenticated")
        refused(caller.post(entry.slug, SAMPLES[entry.slug].body(people)), 401, "not_authenticated")
        refused(caller.delete(f"{entry.slug}/{record.pk}"), 401, "not_authenticated")
    assert snapshot(entry) == before


def test_an_inactive_persons_token_is_refused(api, people):
    caller = api("manager")
    people["manager"].is_active = False
    people["manager"].save()
    refused(caller.get("vendors"), 401, "not_authenticated")


def test_a_person_without_a_role_is_refused(api, people):
    from darkroom.studio.services import api_token_create

    nobody = f.UserFactory(username="nobody")
    caller = api(None)
    caller.headers = {"Authorization": f"Bearer {api_token_create(user=nobody)}"}
    refused(caller.get("vendors"), 403, "permission_denied")


def test_session_login_works_for_reading_and_writing(web):
    browser = web("manager")
    assert browser.get("/api/v1/vendors").status_code == 200
    response = browser.post("/api/v1/vendors", {"name": "Lab"}, content_type="application/json")
    assert response.status_code == 201, response.content


def test_session_writes_need_the_csrf_token(people):
    from darkroom.catalog.models import Vendor

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["manager"])
    assert browser.get("/api/v1/vendors").status_code == 200  # reading needs no token
    refused(
        browser.post("/api/v1/vendors", {"name": "Lab"}, content_type="application/json"),
        403,
        "csrf_failed",
    )
    assert not Vendor.objects.exists()
    browser.get("/")  # any page sets the CSRF cookie, as a browser would get it
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        "/api/v1/vendors",
        {"name": "Lab"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201, response.content
    assert Vendor.objects.filter(name="Lab").exists()


def test_bearer_callers_need_no_csrf_token(people):
    from darkroom.studio.services import api_token_create

    caller = Client(enforce_csrf_checks=True)
    token = api_token_create(user=people["manager"])
    response = caller.post(
        "/api/v1/vendors",
        {"name": "Lab"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.content


# ---------------------------------------------------------------- never a 500


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_no_bad_input_gets_a_500(api, people, entry):
    record = SAMPLES[entry.slug].make()
    caller = api("manager")
    path = f"{entry.slug}/{record.pk}"
    good = SAMPLES[entry.slug].body(people)
    weird_values = [None, "", "x" * 10_000, -1, 2**70, 1.5, [], {}, True, "\x00", "1e999999"]
    responses = [
        caller.post(entry.slug, raw="{"),
        caller.post(entry.slug, raw="[]"),
        caller.post(entry.slug, raw='"text"'),
        caller.post(entry.slug, raw="null"),
        caller.get(entry.slug, search="\x00"),
        caller.get(entry.slug, sort="--"),
        caller.get(entry.slug, cursor="\x00" * 10),
        caller.get(entry.slug, cursor="W10"),  # "[]" in base64: not a cursor
        caller.get(entry.slug, limit=2**70),
        caller.get(f"{entry.slug}/{2**70}"),
        caller.get(f"{entry.slug}/-5"),
    ]
    for name in entry.filters:
        responses += [caller.get(entry.slug, **{name: v}) for v in ("x", 2**70, -1, "")]
    for name in entry.fields:
        for value in weird_values:
            responses.append(caller.post(entry.slug, {**good, name: value}))
            responses.append(caller.patch(path, {name: value}))
    for response in responses:
        assert response.status_code < 500, response.content
        if response.status_code >= 400:
            body = response.json()
            assert set(body) >= {"detail", "code"}, body


# ---------------------------------------------------------------- OpenAPI


@pytest.fixture
def openapi(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_openapi_lists_every_path(openapi):
    paths = set(openapi["paths"])
    for entry in ENTRIES:
        assert f"/api/v1/{entry.slug}" in paths
        assert f"/api/v1/{entry.slug}/{{id}}" in paths
        assert (f"/api/v1/{entry.slug}/{{id}}/move" in paths) == entry.ordered
    assert {
        "/api/v1/studio-preferences",
        "/api/v1/users",
        "/api/v1/users/{id}",
        "/api/v1/me",
    } <= paths


def test_every_operation_documents_422_with_the_error_shape(openapi):
    schemas = openapi["components"]["schemas"]
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            assert "422" in operation["responses"], (method, path)
            error = operation["responses"]["422"]["content"]["application/json"]["schema"]
            shape = schemas[error["$ref"].rsplit("/", 1)[1]]
            assert {"detail", "code"} <= set(shape["required"]), (method, path)


def test_operation_ids_are_unique_and_readable(openapi):
    operation_ids = [
        operation["operationId"]
        for operations in openapi["paths"].values()
        for operation in operations.values()
    ]
    assert len(operation_ids) == len(set(operation_ids))
    for entry in ENTRIES:
        prefix = entry.slug.replace("-", "_")
        names = {"list", "get", "create", "replace", "update", "delete"}
        if entry.ordered:
            names.add("move")
        assert {f"{prefix}_{name}" for name in names} <= set(operation_ids)
    assert {
        "studio_preferences_get",
        "studio_preferences_replace",
        "studio_preferences_update",
        "users_list",
        "users_create",
        "users_get",
        "users_update",
        "me_get",
    } <= set(operation_ids)


def test_openapi_has_a_typed_schema_per_record(openapi):
    schemas = openapi["components"]["schemas"]
    for entry in ENTRIES:
        name = entry.model.__name__
        assert {f"{name}Out", f"{name}In", f"{name}Patch"} <= set(schemas)
        assert set(schemas[f"{name}In"]["properties"]) == set(entry.fields)
        assert "required" not in schemas[f"{name}Patch"]
    item_in = schemas["PriceListItemIn"]
    assert set(item_in["required"]) == {"identifier", "description", "price"}
    assert item_in["properties"]["identifier"]["maxLength"] == 12
    assert item_in["properties"]["item_type"]["enum"][:2] == ["print", "album"]
    assert schemas["PriceListItemOut"]["properties"]["price"]["type"] == "string"
    list_params = {
        p["name"] for p in openapi["paths"]["/api/v1/price-list-items"]["get"]["parameters"]
    }
    assert list_params == {
        "search",
        "item_type",
        "preferred_vendor",
        "inactive",
        "sort",
        "cursor",
        "limit",
        "format",
    }


def test_delete_and_writes_document_their_refusals(openapi):
    vendor = openapi["paths"]["/api/v1/vendors/{id}"]
    assert {"401", "403", "404", "409", "422"} <= set(vendor["delete"]["responses"])
    assert {"400", "401", "403", "404", "422"} <= set(vendor["patch"]["responses"])


def test_docs_page_renders(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
