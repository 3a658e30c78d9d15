"""Writing triggers: create, change (version-checked), make inactive or active again, delete.

Every write gives the trigger's cycle a new version (``tracking.services.cycle_touch``) in the same
transaction — both cycles when a trigger moves to another one — because the planner keeps each
cycle's triggers under that version and would otherwise go on planning with the old ones.

A trigger acts going forward only: creating it, or making it active again, sets
``active_since`` to now, and the planner ignores events before that moment. Making it inactive,
or changing what it watches or when it fires (cycle, status, when, days), cancels its firings
still *scheduled* (their state says why); firings waiting in the review queue stay there, for a
person to process, skip or delete. A trigger that has ever fired keeps its history: it can't be
deleted, only made inactive.

One module on purpose: most of its length is the validation that create and change share (which
fields an action needs, a status of the chosen cycle, channels matching their templates), and a
reader checking one rule should find all of them together.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError
from django.utils import timezone

from darkroom.errors import Conflict, RecordInUse
from darkroom.messaging.addresses import email_address, mobile_number, phone_number
from darkroom.messaging.models import (
    MOST_OFFSET_DAYS,
    Channel,
    Firing,
    FiringState,
    MessageTemplate,
    Recipient,
    Trigger,
    TriggerAction,
    TriggerWhen,
)
from darkroom.messaging.placeholders import check_text
from darkroom.studio.models import Department
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.models import Cycle, CycleKind, Status
from darkroom.tracking.services import cycle_touch

A = TriggerAction

# The fields a person sets; the rest (active_since, created_by, version) the services keep.
FIELDS = (
    "name",
    "cycle",
    "status",
    "when",
    "days",
    "action",
    "recipient",
    "fixed_to",
    "template",
    "fallback_template",
    "task_subject",
    "task_department",
    "task_user",
    "task_due_days",
    "skip_do_not_market",
    "skip_do_not_call",
    "processing",
    "hold_until_business_hours",
)
REFERENCES = {
    "cycle": Cycle,
    "status": Status,
    "template": MessageTemplate,
    "fallback_template": MessageTemplate,
    "task_department": Department,
}

# The channel of the words each action sends first, and of its fallback's words.
TEMPLATE_CHANNEL: dict[str, str] = {
    A.EMAIL: Channel.EMAIL,
    A.EMAIL_ELSE_CALL: Channel.EMAIL,
    A.EMAIL_ELSE_LETTER: Channel.EMAIL,
    A.SMS: Channel.SMS,
    A.SMS_ELSE_EMAIL: Channel.SMS,
    A.SMS_ELSE_CALL: Channel.SMS,
    A.LETTER: Channel.LETTER,
}
FALLBACK_CHANNEL: dict[str, str] = {
    A.SMS_ELSE_EMAIL: Channel.EMAIL,
    A.EMAIL_ELSE_LETTER: Channel.LETTER,
}
EMAIL_FIRST = {A.EMAIL, A.EMAIL_ELSE_CALL, A.EMAIL_ELSE_LETTER}
SMS_FIRST = {A.SMS, A.SMS_ELSE_EMAIL, A.SMS_ELSE_CALL}
# Actions that always make a task (a to-do, a call, a letter): they need its title.
TITLED = {A.TASK, A.CALL, A.LETTER}
# Fallbacks that may make a call or a letter: a title of their own, else this one.
DERIVED_TITLE: dict[str, str] = {
    A.EMAIL_ELSE_CALL: "Call {client_name}: no email address ({status})",
    A.SMS_ELSE_CALL: "Call {client_name}: no mobile number ({status})",
    A.EMAIL_ELSE_LETTER: "Letter to {client_name}: no email address ({status})",
}
# Cycles whose records have a vendor.
VENDOR_KINDS = {CycleKind.PRODUCTION, CycleKind.PREPRODUCTION}

CANCELLED_INACTIVE = "The trigger was made inactive."
CANCELLED_CHANGED = (
    "The trigger was changed: it now watches another status or fires at another time."
)
# Changing one of these makes the scheduled firings wrong: they are cancelled.
WATCHED = ("cycle", "status", "when", "days")


TEMPLATE_NOUN = {
    Channel.EMAIL: "an email template",
    Channel.SMS: "an SMS template",
    Channel.LETTER: "a letter template",
}


def _fired_words(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise ValidationError({name: "This can't be set here." for name in unknown})


def _set(trigger: Trigger, fields: dict[str, Any]) -> None:
    """Put the values on the trigger; a reference of the wrong kind is refused beside its field."""
    User = get_user_model()
    problems: dict[str, str] = {}
    for name, value in fields.items():
        if isinstance(value, str) and name in ("name", "task_subject", "fixed_to"):
            value = value.strip()
        expected = User if name == "task_user" else REFERENCES.get(name)
        wrong_kind = expected is not None and not isinstance(value, expected)
        if value is not None and (wrong_kind or getattr(value, "pk", 0) is None):
            problems[name] = "Choose one from the list."
            continue
        setattr(trigger, name, value)
    if problems:
        raise ValidationError(problems)


def _changed(trigger: Trigger, before: dict[str, Any] | None, name: str) -> bool:
    """Whether ``name`` is newly chosen (always, for a new trigger)."""
    field = trigger._meta.get_field(name)
    return before is None or before.get(field.attname) != getattr(trigger, field.attname)


def _validate(trigger: Trigger, before: dict[str, Any] | None) -> None:
    """Every rule of the studio about a trigger, each message beside its field; all at once."""
    errors: dict[str, list[str]] = {}

    def refuse(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if trigger.action in DERIVED_TITLE and not trigger.task_subject:
        trigger.task_subject = DERIVED_TITLE[trigger.action]
    for name, noun in (("days", "The days"), ("task_due_days", "The task's days")):
        value = getattr(trigger, name)
        if isinstance(value, bool) or not isinstance(value, int):
            refuse(name, f"{noun} are a whole number of business days.")
        elif not 0 <= value <= MOST_OFFSET_DAYS:
            refuse(name, f"{noun} are from 0 to {MOST_OFFSET_DAYS} business days.")
    try:
        trigger.full_clean(exclude=["active_since", "created_by", "days", "task_due_days"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                refuse(name, message)
    cycle = trigger.cycle if trigger.cycle_id else None
    status = trigger.status if trigger.status_id else None
    action, when = trigger.action, trigger.when

    # The status: one of the cycle's, and in use.
    if cycle is not None and status is not None:
        if status.cycle_id != cycle.pk:
            refuse(
                "status",
                f"“{status}” is a status of another cycle; choose one of {cycle}'s statuses.",
            )
        elif status.is_inactive and _changed(trigger, before, "status"):
            refuse("status", f"“{status}” is inactive; choose a status records still enter.")

    # When.
    if when == TriggerWhen.ENTERED and isinstance(trigger.days, int) and trigger.days:
        refuse("days", "A trigger on entering the status fires that day: leave the days at 0.")

    # The words of the messages.
    template = trigger.template if trigger.template_id else None
    fallback = trigger.fallback_template if trigger.fallback_template_id else None
    channel = TEMPLATE_CHANNEL.get(action)
    if channel is None and template is not None:
        refuse("template", "A task or a phone call sends no message: leave the template empty.")
    elif channel is not None and template is None:
        refuse("template", f"Choose {TEMPLATE_NOUN[channel]}: the words it sends.")
    elif channel is not None and template is not None:
        if template.channel != channel:
            refuse(
                "template",
                f"“{template}” is {TEMPLATE_NOUN[template.channel]}; "
                f"this action needs {TEMPLATE_NOUN[channel]}.",
            )
        elif template.is_inactive and _changed(trigger, before, "template"):
            refuse("template", f"“{template}” is inactive; choose a template in use.")
    fallback_channel = FALLBACK_CHANNEL.get(action)
    if fallback_channel is None and fallback is not None:
        refuse(
            "fallback_template",
            "Only “SMS, else an email” and “Email, else a letter” send a second template: "
            "leave it empty.",
        )
    elif fallback_channel is not None and fallback is None:
        refuse(
            "fallback_template",
            f"Choose {TEMPLATE_NOUN[fallback_channel]} for the fallback.",
        )
    elif fallback_channel is not None and fallback is not None:
        if fallback.channel != fallback_channel:
            refuse(
                "fallback_template",
                f"“{fallback}” is not {TEMPLATE_NOUN[fallback_channel]}.",
            )
        elif fallback.is_inactive and _changed(trigger, before, "fallback_template"):
            refuse("fallback_template", f"“{fallback}” is inactive; choose a template in use.")

    # The task a task, call or letter (or a fallback to one) makes.
    if action in TITLED and not trigger.task_subject:
        refuse("task_subject", "Give the task a title (placeholders allowed).")
    for problem in check_text(trigger.task_subject or ""):
        refuse("task_subject", problem)
    if action == A.TASK and not trigger.task_department_id and not trigger.task_user_id:
        refuse("task_department", "Choose the department or the person the task is for.")
    department = trigger.task_department if trigger.task_department_id else None
    if (
        department is not None
        and department.is_inactive
        and _changed(trigger, before, "task_department")
    ):
        refuse("task_department", f"“{department}” is inactive; choose a current department.")
    user = trigger.task_user if trigger.task_user_id else None
    if user is not None and not user.is_active and _changed(trigger, before, "task_user"):
        refuse("task_user", f"“{user}” can no longer sign in; choose someone who can.")

    # Who it goes to.
    recipient = trigger.recipient
    if recipient == Recipient.VENDOR and cycle is not None and cycle.kind not in VENDOR_KINDS:
        refuse(
            "recipient",
            f"{cycle}'s records have no vendor: only production and preproduction orders do.",
        )
    if recipient == Recipient.FIXED:
        _check_fixed(trigger, refuse)
    elif trigger.fixed_to:
        refuse("fixed_to", "Only a fixed recipient has an address here: leave it empty.")

    if errors:
        raise ValidationError(errors)


def _check_fixed(trigger: Trigger, refuse: Any) -> None:
    text = trigger.fixed_to
    action = trigger.action
    if action in (A.TASK, A.LETTER):
        refuse(
            "recipient",
            "A task or a letter is not sent to an address: choose the client, the vendor or "
            "the assigned person.",
        )
        return
    if not text:
        refuse("fixed_to", "Give the email address or mobile number it goes to.")
        return
    country = studio_preferences().country
    if action in EMAIL_FIRST:
        if email_address(text) is None:
            refuse("fixed_to", f"“{text}” is not an email address.")
    elif action in SMS_FIRST:
        number = mobile_number(text, country)
        if number is None:
            refuse("fixed_to", f"“{text}” is not a mobile number (read as a {country} number).")
        else:
            trigger.fixed_to = number
    elif action == A.CALL:
        number = phone_number(text, country)
        if number is None:
            refuse("fixed_to", f"“{text}” is not a phone number (read as a {country} number).")
        else:
            trigger.fixed_to = number


def trigger_warnings(trigger: Trigger) -> list[str]:
    """What is allowed but may not do what the manager expects, to show after saving."""
    warnings = []
    if (
        trigger.cycle.kind == CycleKind.TASK
        and trigger.recipient == Recipient.CLIENT
        and trigger.action != A.TASK
    ):
        warnings.append(
            "A task need not have a client: for tasks without one this trigger is skipped."
        )
    return warnings


def _cancel_scheduled(trigger: Trigger, reason: str) -> int:
    """Cancel the trigger's scheduled firings (those in review stay for a person to decide)."""
    return Firing.objects.filter(trigger_id=trigger.pk, state=FiringState.SCHEDULED).update(
        state=FiringState.CANCELLED, reason=reason, decided_at=timezone.now()
    )


def trigger_create(*, by: Any, is_active: bool = True, **fields: Any) -> Trigger:
    """A new trigger; it acts on events from now on. Bad input: every problem, nothing saved."""
    _check_fields(fields)
    trigger = Trigger(created_by=by, is_active=bool(is_active), active_since=timezone.now())
    _set(trigger, fields)
    _validate(trigger, None)
    with transaction.atomic():
        trigger.save()
        cycle_touch(cycle_id=trigger.cycle_id)
    return trigger


def trigger_update(
    *, trigger: Trigger, expected_version: int, by: Any = None, **fields: Any
) -> Trigger:
    """Change a trigger. ``expected_version`` is the version the person saw: a trigger changed
    since is a Conflict and nothing is written. Moving it to another status, cycle or time
    cancels its scheduled firings; ``is_active`` stops or restarts it as
    :func:`trigger_set_active` does, in the same write."""
    active = fields.pop("is_active", None)
    _check_fields(fields)
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise ValidationError({"expected_version": "Give the version you read."})
    if active is not None and not isinstance(active, bool):
        raise ValidationError({"is_active": "Yes or no."})
    before = {f.attname: getattr(trigger, f.attname) for f in Trigger._meta.concrete_fields}
    _set(trigger, fields)
    _validate(trigger, before)
    columns = {
        f.attname: getattr(trigger, f.attname)
        for f in Trigger._meta.concrete_fields
        if f.name in FIELDS and getattr(trigger, f.attname) != before[f.attname]
    }
    if active is not None and active != before["is_active"]:
        columns["is_active"] = active
        if active:
            columns["active_since"] = timezone.now()
    moved = any(
        getattr(trigger, Trigger._meta.get_field(n).attname)
        != before[Trigger._meta.get_field(n).attname]
        for n in WATCHED
    )
    with transaction.atomic():
        written = Trigger.objects.filter(pk=trigger.pk, version=expected_version).update(
            **columns, version=F("version") + 1, updated_at=timezone.now()
        )
        if not written:
            raise Conflict(
                "This trigger was changed by someone else since you opened it. "
                "Reload it to see their change, then make yours again."
            )
        if active is False and before["is_active"]:
            _cancel_scheduled(trigger, CANCELLED_INACTIVE)
        elif moved:
            _cancel_scheduled(trigger, CANCELLED_CHANGED)
        cycle_touch(cycle_id=before["cycle_id"])
        if trigger.cycle_id != before["cycle_id"]:
            cycle_touch(cycle_id=trigger.cycle_id)
    trigger.refresh_from_db()
    return trigger


def trigger_set_active(*, trigger: Trigger, active: bool, by: Any = None) -> Trigger:
    """Make a trigger inactive (its scheduled firings are cancelled) or active again (it acts
    on events from now on, not on those while it was off)."""
    with transaction.atomic():
        fresh = Trigger.objects.select_for_update().get(pk=trigger.pk)
        if fresh.is_active == bool(active):
            return fresh
        changes: dict[str, Any] = {"is_active": bool(active), "updated_at": timezone.now()}
        if active:
            changes["active_since"] = timezone.now()
        Trigger.objects.filter(pk=trigger.pk).update(**changes, version=F("version") + 1)
        if not active:
            _cancel_scheduled(fresh, CANCELLED_INACTIVE)
        cycle_touch(cycle_id=fresh.cycle_id)
    trigger.refresh_from_db()
    return trigger


def trigger_delete(*, trigger: Trigger) -> None:
    """Delete a trigger that never fired; one that did keeps its history and is refused."""
    with transaction.atomic():
        fresh = Trigger.objects.select_for_update().filter(pk=trigger.pk).first()
        if fresh is None:
            return
        fired = Firing.objects.filter(trigger_id=fresh.pk).count()
        if fired:
            raise RecordInUse(
                f"“{fresh}” can't be deleted. It has fired {_fired_words(fired)}: "
                "make it inactive instead."
            )
        try:
            with transaction.atomic():
                fresh.delete()
        except ProtectedError as exc:  # a firing written a moment ago
            raise RecordInUse(
                f"“{fresh}” can't be deleted. It has just fired: make it inactive instead."
            ) from exc
        cycle_touch(cycle_id=fresh.cycle_id)
