"""API endpoints of the studio's people: the list, adding a person, changing one, and "who am
I" for the caller.

People are changed through the same services as the People page (studio/people.py), so the rules
there (no locking yourself out, usernames unique whatever their capitals) hold here too. Apart
from the studio's preferences (``api.py``): a different permission guards each, and the rules of
a person are the People page's, not the preferences'.
"""

from typing import Any, Literal

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from darkroom.api.auth import permitted
from darkroom.api.errors import error_responses
from darkroom.api.fields import Text
from darkroom.api.lists import PageQuery, keyset_page, list_of, whole_list
from darkroom.database_limits import LARGEST_ID
from darkroom.maintenance.selectors import ListQuery, people_records, person_role
from darkroom.studio.api.preferences import RoleName, _no_default
from darkroom.studio.models import Department
from darkroom.studio.people import person_create, person_update
from darkroom.studio.roles import role_of
from darkroom.studio.services import PASSWORD_RULES

router = Router(tags=["studio"])


# ---------------------------------------------------------------- people


class PersonOut(Schema):
    """A person who logs in to Darkroom, their role and the departments they work in."""

    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    is_active: bool = Field(..., description="Inactive people can't log in")
    role: RoleName | None = Field(..., description="None: no role yet (can't see anything)")
    departments: list[int] = Field(..., description="Department ids")


PeoplePage = list_of(PersonOut, "PersonList")


class PeopleParams(PageQuery):
    search: Text | None = Field(None, description="Words found in username, names or email")
    role: RoleName | None = None
    department: int | None = Field(None, description="Only members of this department (id)")
    inactive: Literal["show", "hide", "only"] = Field(
        "show", description="show: everyone; hide: people who can log in; only: inactive people"
    )
    sort: Literal["name", "-name", "username", "-username", "email", "-email"] | None = None


class PersonIn(Schema):
    """A new person: their login, role and departments."""

    model_config = ConfigDict(extra="forbid")

    username: Text = Field(..., max_length=150)
    password: str = Field(..., description=PASSWORD_RULES)
    role: RoleName
    first_name: Text = Field("", max_length=150)
    last_name: Text = Field("", max_length=150)
    email: Text = Field("", max_length=254)
    departments: list[int] = Field([], description="Department ids")


class PersonPatch(Schema):
    """What to change about a person; the rest stays as it is."""

    model_config = ConfigDict(extra="forbid")

    first_name: Text = Field(None, max_length=150, json_schema_extra=_no_default)
    last_name: Text = Field(None, max_length=150, json_schema_extra=_no_default)
    email: Text = Field(None, max_length=254, json_schema_extra=_no_default)
    role: RoleName = Field(None, json_schema_extra=_no_default)
    is_active: bool = Field(None, json_schema_extra=_no_default)
    departments: list[int] = Field(
        None, description="Department ids (replaces the list)", json_schema_extra=_no_default
    )


def _people() -> Any:
    return people_records(query=ListQuery(show_inactive=True))


def _person_answer(user: AbstractUser) -> dict[str, Any]:
    role = person_role(user)
    return {
        "id": user.pk,
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": user.is_active,
        "role": role.value if role else None,
        "departments": sorted(d.pk for d in user.departments.all()),  # type: ignore[attr-defined]
    }


def _person(person_id: int) -> AbstractUser:
    if not 0 < person_id <= LARGEST_ID:
        raise Http404
    return _people().get(pk=person_id)


def _departments(ids: list[int], current: set[int]) -> list[Department]:
    """The departments named by id; joining an inactive one is refused (staying in it is not)."""
    wanted = list(dict.fromkeys(ids))
    found = Department.objects.filter(pk__in=[i for i in wanted if 0 < i <= LARGEST_ID])
    by_id = {d.pk: d for d in found}
    problems = []
    for pk in wanted:
        department = by_id.get(pk)
        if department is None:
            problems.append(f"There is no department with id {pk}.")
        elif department.is_inactive and pk not in current:
            problems.append(f"Department “{department}” is inactive; choose an active department.")
    if problems:
        raise ValidationError({"departments": problems})
    return [by_id[pk] for pk in wanted]


@router.get(
    "/users",
    operation_id="users_list",
    summary="The studio's people",
    response={200: PeoplePage, **error_responses(401, 403, 422)},
    auth=permitted("auth.view_user"),
)
def users_list(request: HttpRequest, params: Query[PeopleParams]) -> Any:
    filters: dict[str, Any] = {}
    if params.role:
        filters["role"] = params.role
    if params.department is not None:
        if not 0 < params.department <= LARGEST_ID:
            return whole_list([])
        filters["department"] = params.department
    query = ListQuery(
        search=params.search or "",
        filters=filters,
        sort=params.sort or "",
        show_inactive=params.inactive != "hide",
    )
    people = people_records(query=query)
    if params.inactive == "only":
        people = people.filter(is_active=False)
    return keyset_page(people, cursor=params.cursor, limit=params.limit, answer=_person_answer)


@router.post(
    "/users",
    operation_id="users_create",
    summary="Add a person (managers)",
    response={201: PersonOut, **error_responses(400, 401, 403, 422)},
    auth=permitted("auth.add_user"),
)
def users_create(request: HttpRequest, payload: PersonIn) -> Any:
    values = payload.model_dump()
    values["departments"] = _departments(values["departments"], current=set())
    user = person_create(**values)
    return Status(201, _person_answer(_person(user.pk)))


@router.get(
    "/users/{id}",
    operation_id="users_get",
    summary="One person",
    response={200: PersonOut, **error_responses(401, 403, 404, 422)},
    auth=permitted("auth.view_user"),
)
def users_get(request: HttpRequest, id: int) -> Any:
    return _person_answer(_person(id))


@router.patch(
    "/users/{id}",
    operation_id="users_update",
    summary="Change a person's names, email, role, departments or login (managers)",
    description="You can't deactivate yourself or give up your own manager role.",
    response={200: PersonOut, **error_responses(400, 401, 403, 404, 422)},
    auth=permitted("auth.change_user"),
)
def users_update(request: HttpRequest, id: int, payload: PersonPatch) -> Any:
    person = _person(id)
    changes = payload.model_dump(exclude_unset=True)
    refused = [name for name, value in changes.items() if value is None]
    if refused:
        raise ValidationError({name: "This field can't be empty (null)." for name in refused})
    current = _person_answer(person)
    values = {**current, **changes}
    if values["role"] is None:
        raise ValidationError({"role": "This person has no role yet: give one."})
    user = person_update(
        user=person,
        changed_by=request.user,
        first_name=values["first_name"],
        last_name=values["last_name"],
        email=values["email"],
        role=values["role"],
        is_active=values["is_active"],
        departments=_departments(values["departments"], current=set(current["departments"])),
    )
    return _person_answer(_person(user.pk))


# ---------------------------------------------------------------- who am I


class DepartmentRef(Schema):
    id: int
    name: str


class MeOut(Schema):
    """The caller: who they are, their role and every permission it gives."""

    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    role: RoleName | None
    departments: list[DepartmentRef]
    permissions: list[str] = Field(
        ..., description='Django permissions, e.g. "catalog.view_vendor"'
    )


@router.get(
    "/me",
    operation_id="me_get",
    summary="Who am I: my role and permissions",
    response={200: MeOut, **error_responses(401, 422)},
)
def me(request: HttpRequest) -> Any:
    user = request.user
    role = role_of(user)
    return {
        "id": user.pk,
        "username": user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": role.value if role else None,
        "departments": [{"id": d.pk, "name": d.name} for d in user.departments.order_by("name")],
        "permissions": sorted(user.get_all_permissions()) if role else [],
    }
