"""The profit analysis's filter: a range of invoice dates, a session type or client, and the
grouping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from darkroom.clients.models import Client, SessionType
from darkroom.reports.forms.common import (
    DateRangeForm,
    RecordChoice,
    range_day,
)
from darkroom.reports.selectors.profit import GROUPINGS, SESSION_TYPE, ProfitFilter


class ProfitForm(DateRangeForm):
    """The profit analysis's filter: a range of invoice dates (default: the last twelve months),
    sessions of one type or all, one client or all, and the grouping. The client is chosen by
    id (a studio has too many for a list): the client's page links here with it filled in."""

    start = range_day("Invoiced from")
    end = range_day("Invoiced to", "Both days included.")
    group_by = forms.ChoiceField(
        label="Group by", choices=list(GROUPINGS.items()), required=False, initial=SESSION_TYPE
    )
    session_type = RecordChoice(
        SessionType.objects.order_by("position", "name", "pk"),
        "session type",
        label="Session type",
        empty_label="All session types",
    )
    client = RecordChoice(
        Client.objects.order_by("pk"),
        "client",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}),
        help_text="A client's number; empty: every client.",
    )

    def clean_group_by(self) -> str:
        return self.cleaned_data.get("group_by") or SESSION_TYPE

    def report_filter(self, *, costs: str, group: str | None = None) -> ProfitFilter:
        """The filter of a valid form, with the studio's cost source (and the rows' group)."""
        data = self.cleaned_data
        session_type, client = data.get("session_type"), data.get("client")
        return ProfitFilter(
            start=data["start"],
            end=data["end"],
            group_by=data.get("group_by") or SESSION_TYPE,
            costs=costs,
            session_type=None if session_type is None else int(session_type.pk),
            client=None if client is None else int(client.pk),
            group=group,
        )


def parse_profit(
    params: Mapping[str, Any], *, today: dt.date, costs: str, group: str | None = None
) -> ProfitFilter:
    """The profit filter a query string asks for; ``ValidationError({parameter: [message]})``
    if any value is refused (the API answers it with 422)."""
    form = ProfitForm(params, today=today)
    if not form.is_valid():
        raise ValidationError(
            {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        )
    return form.report_filter(costs=costs, group=group)


def profit_params(f: ProfitFilter) -> list[tuple[str, str]]:
    """The query string that asks for ``f``: the range always, the rest when chosen."""
    params = [("start", f.start.isoformat()), ("end", f.end.isoformat())]
    if f.group_by != SESSION_TYPE:
        params.append(("group_by", f.group_by))
    if f.session_type is not None:
        params.append(("session_type", str(f.session_type)))
    if f.client is not None:
        params.append(("client", str(f.client)))
    return params
