"""API endpoints of the studio app: its preferences, its people, and "who am I".

Work days travel as weekday numbers (Monday = 0 … Sunday = 6) rather than the stored bit mask.
People are changed through the same services as the People page (studio/people.py), so the rules
there (no locking yourself out, usernames unique whatever their capitals) hold here too.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import AfterValidator, ConfigDict

from darkroom.api.auth import permitted
from darkroom.api.errors import error_responses
from darkroom.api.fields import ClockTime, Text, Weekday
from darkroom.api.lists import PageQuery, keyset_page, list_of, whole_list
from darkroom.database_limits import LARGEST_ID
from darkroom.formats import LOCALES
from darkroom.maintenance.selectors import ListQuery, people_records, person_role
from darkroom.studio.models import Department, DueDateMode, StudioPreferences
from darkroom.studio.people import person_create, person_update
from darkroom.studio.roles import role_of
from darkroom.studio.selectors import studio_preferences
from darkroom.studio.services import PASSWORD_RULES, studio_preferences_update

router = Router(tags=["studio"])


def _some_day(days: list[int]) -> list[int]:
    if not days:
        raise ValueError("The work week needs at least one day.")
    return days


WorkDays = Annotated[list[Weekday], AfterValidator(_some_day)]
RoleName = Literal["manager", "staff", "readonly"]
DueDateModeName = Literal[tuple(DueDateMode.values)]  # type: ignore[valid-type]
LocaleName = Literal[LOCALES]  # type: ignore[valid-type]


# ---------------------------------------------------------------- studio preferences


class StudioPreferencesOut(Schema):
    """The studio's name, contact details, time zone and calendar choices."""

    name: str
    address: str
    phone: str
    email: str
    time_zone: str = Field(..., description="IANA name, e.g. Europe/London")
    work_days: list[int] = Field(..., description="Weekday numbers, 0 = Monday … 6 = Sunday")
    due_date_mode: DueDateModeName
    opens_at: ClockTime = Field(..., description="Held messages go out from this time")
    closes_at: ClockTime = Field(..., description="…and until this time, on business days")
    country: str = Field(..., description="Two letters: numbers without a code are read as its")
    locale: LocaleName = Field(..., description="How dates and amounts are written, e.g. en-US")
    currency: str = Field(..., description="ISO 4217 code of every amount, e.g. USD, EUR")
    statuses_by_session_type: bool = Field(
        ..., description="Each session type may have its own status cycle"
    )
    updated_at: dt.datetime | None


class StudioPreferencesIn(Schema):
    """All the preferences at once (PUT); those left out take their default."""

    model_config = ConfigDict(extra="forbid")

    name: Text = Field("My Studio", max_length=120)
    address: Text = ""
    phone: Text = Field("", max_length=40)
    email: Text = Field("", max_length=254)
    time_zone: Text = Field("UTC", max_length=64, description="IANA name, e.g. Europe/London")
    work_days: WorkDays = Field(
        [0, 1, 2, 3, 4], json_schema_extra={"minItems": 1}, description="At least one weekday"
    )
    due_date_mode: DueDateModeName = DueDateMode.FORWARD.value
    opens_at: ClockTime = dt.time(9, 0)
    closes_at: ClockTime = dt.time(17, 30)
    country: Text = Field("US", min_length=2, max_length=2, description="e.g. US, GB, DE")
    locale: LocaleName = Field("en-US", description="How dates and amounts are written")
    currency: Text = Field("USD", min_length=3, max_length=3, description="e.g. USD, EUR, GBP")
    statuses_by_session_type: bool = False


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def _no_default_at_least_one_day(schema: dict[str, Any]) -> None:
    schema.pop("default", None)
    schema["minItems"] = 1


class StudioPreferencesPatch(Schema):
    """The preferences to change; the others stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: Text = Field(None, max_length=120, json_schema_extra=_no_default)
    address: Text = Field(None, json_schema_extra=_no_default)
    phone: Text = Field(None, max_length=40, json_schema_extra=_no_default)
    email: Text = Field(None, max_length=254, json_schema_extra=_no_default)
    time_zone: Text = Field(None, max_length=64, json_schema_extra=_no_default)
    work_days: WorkDays = Field(None, json_schema_extra=_no_default_at_least_one_day)
    due_date_mode: DueDateModeName = Field(None, json_schema_extra=_no_default)
    opens_at: ClockTime = Field(None, json_schema_extra=_no_default)
    closes_at: ClockTime = Field(None, json_schema_extra=_no_default)
    country: Text = Field(None, min_length=2, max_length=2, json_schema_extra=_no_default)
    locale: LocaleName = Field(None, json_schema_extra=_no_default)
    currency: Text = Field(None, min_length=3, max_length=3, json_schema_extra=_no_default)
    statuses_by_session_type: bool = Field(None, json_schema_extra=_no_default)


def _preferences_answer(prefs: StudioPreferences) -> dict[str, Any]:
    return {
        "name": prefs.name,
        "address": prefs.address,
        "phone": prefs.phone,
        "email": prefs.email,
        "time_zone": prefs.time_zone,
        "work_days": sorted(prefs.work_days),
        "due_date_mode": prefs.due_date_mode,
        "opens_at": prefs.opens_at,
        "closes_at": prefs.closes_at,
        "country": prefs.country,
        "locale": prefs.locale,
        "currency": prefs.currency,
        "statuses_by_session_type": prefs.statuses_by_session_type,
        "updated_at": prefs.updated_at,
    }


def _update_preferences(changes: dict[str, Any]) -> dict[str, Any]:
    if "work_days" in changes:
        changes["work_days_mask"] = sum(1 << day for day in set(changes.pop("work_days")))
    try:
        prefs = studio_preferences_update(**changes)
    except ValidationError as exc:
        # The service speaks of the stored mask; the caller sent work days.
        if hasattr(exc, "error_dict") and "work_days_mask" in exc.error_dict:
            exc.error_dict["work_days"] = exc.error_dict.pop("work_days_mask")
        raise
    return _preferences_answer(prefs)


@router.get(
    "/studio-preferences",
    operation_id="studio_preferences_get",
    summary="The studio's preferences",
    response={200: StudioPreferencesOut, **error_responses(401, 403, 422)},
    auth=permitted("studio.view_studiopreferences"),
)
def preferences_get(request: HttpRequest) -> Any:
    return _preferences_answer(studio_preferences())


@router.put(
    "/studio-preferences",
    operation_id="studio_preferences_replace",
    summary="Replace the studio's preferences (managers)",
    response={200: StudioPreferencesOut, **error_responses(400, 401, 403, 422)},
    auth=permitted("studio.change_studiopreferences"),
)
def preferences_replace(request: HttpRequest, payload: StudioPreferencesIn) -> Any:
    return _update_preferences(payload.model_dump())


@router.patch(
    "/studio-preferences",
    operation_id="studio_preferences_update",
    summary="Change some of the studio's preferences (managers)",
    response={200: StudioPreferencesOut, **error_responses(400, 401, 403, 422)},
    auth=permitted("studio.change_studiopreferences"),
)
def preferences_update(request: HttpRequest, payload: StudioPreferencesPatch) -> Any:
    changes = payload.model_dump(exclude_unset=True)
    refused = [name for name, value in changes.items() if value is None]
    if refused:
        raise ValidationError({name: "This preference can't be empty (null)." for name in refused})
    return _update_preferences(changes)


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
