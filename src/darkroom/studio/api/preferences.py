"""API endpoints of the studio's preferences.

Work days travel as weekday numbers (Monday = 0 … Sunday = 6) rather than the stored bit mask.
The studio's people, and "who am I", are ``people.py``.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import AfterValidator, ConfigDict

from darkroom.api.auth import permitted
from darkroom.api.errors import error_responses
from darkroom.api.fields import ClockTime, Text, Weekday
from darkroom.formats import LOCALES
from darkroom.studio.models import DueDateMode, ProfitCosts, StudioPreferences
from darkroom.studio.selectors import studio_preferences
from darkroom.studio.services import studio_preferences_update

router = Router(tags=["studio"])


def _some_day(days: list[int]) -> list[int]:
    if not days:
        raise ValueError("The work week needs at least one day.")
    return days


WorkDays = Annotated[list[Weekday], AfterValidator(_some_day)]
RoleName = Literal["manager", "staff", "readonly"]
DueDateModeName = Literal[tuple(DueDateMode.values)]  # type: ignore[valid-type]
ProfitCostsName = Literal[tuple(ProfitCosts.values)]  # type: ignore[valid-type]
PROFIT_COSTS_HELP = (
    "Where the profit analysis takes product costs from: price_list (invoice lines × the price "
    "list item's cost) or vendor_invoices (the production orders' vendor invoice amounts); "
    "preproduction costs are added either way"
)
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
    profit_costs: ProfitCostsName = Field(..., description=PROFIT_COSTS_HELP)
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
    profit_costs: ProfitCostsName = Field(
        ProfitCosts.PRICE_LIST.value, description=PROFIT_COSTS_HELP
    )


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
    profit_costs: ProfitCostsName = Field(None, json_schema_extra=_no_default)


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
        "profit_costs": prefs.profit_costs,
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
