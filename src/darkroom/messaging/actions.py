"""What a trigger's firing does for one record: planned (:func:`plan_action`), then carried
out (:func:`carry_out`).

Planning reads and never writes, so the review queue shows exactly what Process will do, and
the dry run shows what tomorrow will do, with the same code: the recipient actually chosen
(after a fallback), the rendered words, or why nothing happens.

Recipients: the client; the order's vendor; the person the record is assigned to; everyone
active in its assigned department; or a fixed address or number. Fallbacks act for a recipient
without the address or number the first channel needs: email → phone call or letter; SMS →
email or phone call. A phone call or letter is a task (kind "call" or "letter") for the
trigger's person and/or department; a letter's task holds its rendered text, printable as PDF.

The client's options (see docs/messages.md): *skip do-not-market clients* blocks emails, SMS
and letters to a client marked "do not market"; *skip do-not-call clients* blocks phone calls
and SMS to a client marked "do not call". A blocked action is *suppressed*, with the reason;
it never falls back to another channel. An SMS also needs the client's consent to texts.

One module on purpose: who a firing reaches, which fallback it takes and what the options block
are one rule, read by planning and by carrying out alike; split, the review queue and the worker
could drift apart on who gets what.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from darkroom.clients.status_links import status_link_ensure
from darkroom.formats import format_datetime, formats_of
from darkroom.messaging.addresses import email_address, mobile_number, mobile_problem
from darkroom.messaging.models import (
    Channel,
    Firing,
    Message,
    MessageTemplate,
    Recipient,
    Trigger,
    TriggerAction,
)
from darkroom.messaging.outbox import message_key, messages_write
from darkroom.messaging.placeholders import STATUS_LINK, render, values_for
from darkroom.messaging.records import record_parts
from darkroom.studio.calendar.cache import CalendarNow, calendar_now
from darkroom.studio.models import StudioPreferences
from darkroom.studio.selectors import studio_preferences
from darkroom.todos.models import Task, TaskKind
from darkroom.todos.services import task_create

# The first channel of each action that sends something, and its fallback.
FIRST_CHANNEL = {
    TriggerAction.EMAIL: Channel.EMAIL,
    TriggerAction.SMS: Channel.SMS,
    TriggerAction.EMAIL_ELSE_CALL: Channel.EMAIL,
    TriggerAction.EMAIL_ELSE_LETTER: Channel.EMAIL,
    TriggerAction.SMS_ELSE_EMAIL: Channel.SMS,
    TriggerAction.SMS_ELSE_CALL: Channel.SMS,
}
FALLBACK = {
    TriggerAction.EMAIL_ELSE_CALL: TriggerAction.CALL,
    TriggerAction.EMAIL_ELSE_LETTER: TriggerAction.LETTER,
    TriggerAction.SMS_ELSE_EMAIL: TriggerAction.EMAIL,
    TriggerAction.SMS_ELSE_CALL: TriggerAction.CALL,
}
TASK_KINDS = {
    TriggerAction.TASK: TaskKind.TODO,
    TriggerAction.CALL: TaskKind.CALL,
    TriggerAction.LETTER: TaskKind.LETTER,
}


@dataclass
class Planning:
    """What planning reads of the studio, read once for many firings (the review queue, the
    dry run, a tick): its preferences, its calendar and today, and the members of each
    department a trigger names. Planning one firing alone reads them itself."""

    prefs: StudioPreferences
    clock: CalendarNow
    members: dict[int, list[Any]] = field(default_factory=dict)

    @classmethod
    def now(cls, prefs: StudioPreferences | None = None) -> Planning:
        return cls(prefs or studio_preferences(), calendar_now())

    @cached_property
    def today(self) -> dt.date:
        return self.prefs.today()

    def department_members(self, department: Any) -> list[Any]:
        if department.pk not in self.members:
            self.members[department.pk] = list(department.members.filter(is_active=True))
        return self.members[department.pk]


@dataclass(frozen=True)
class Addressee:
    to: str
    name: str


@dataclass
class ActionPlan:
    """What processing a firing will do: send messages, make a task, or nothing (and why)."""

    action: str  # the action actually taken: "email", "sms", "task", "call", "letter" or ""
    channel: str = ""  # for messages
    to: list[Addressee] = field(default_factory=list)
    subject: str = ""
    body: str = ""
    task_kind: str = ""
    task_user: Any = None
    task_department: Any = None
    task_due_on: dt.date | None = None
    fallback: str = ""  # why the fallback was taken, if it was
    suppressed: str = ""  # why nothing happens, if nothing does
    # The status-page address the words carry, and its invoice: carrying out makes the link
    # if it does not exist yet (``clients.status_links.status_link_ensure``).
    status_link: str = ""
    status_link_invoice: Any = None

    @property
    def recipient_words(self) -> str:
        """Who it goes to, in words, for the review queue and the dry run."""
        if self.suppressed:
            return ""
        if self.to:
            return ", ".join(f"{a.name} <{a.to}>" if a.name else a.to for a in self.to)
        who = [str(x) for x in (self.task_user, self.task_department) if x is not None]
        return " / ".join(who) or "nobody in particular"


def _client_addressee(client: Any, channel: str, country: str) -> tuple[Addressee | None, str]:
    if channel == Channel.EMAIL:
        found = email_address(client.email)
        return (Addressee(found, client.name), "") if found else (None, "no email address")
    if not client.sms_consent:
        return None, "no consent to text messages"
    problem = mobile_problem(client.mobile, country)
    if problem:
        return None, problem.rstrip(".").lower() if problem == "No mobile number." else problem
    return Addressee(mobile_number(client.mobile, country) or "", client.name), ""


def _people(users: list[Any], channel: str) -> list[Addressee]:
    if channel != Channel.EMAIL:
        return []  # Darkroom keeps no mobile numbers of its people
    found = []
    for user in users:
        address = email_address(user.email)
        if address and user.is_active:
            found.append(Addressee(address, user.get_full_name() or user.get_username()))
    return found


def addressees(
    trigger: Trigger,
    record: Any,
    channel: str,
    prefs: StudioPreferences,
    planning: Planning | None = None,
) -> tuple[list[Addressee], str]:
    """Who a message on ``channel`` reaches for this trigger and record; else why nobody."""
    parts = record_parts(record)
    if trigger.recipient == Recipient.CLIENT:
        if parts.client is None:
            return [], "the record has no client"
        found, why = _client_addressee(parts.client, channel, prefs.country)
        return ([found], "") if found else ([], f"the client has {why}")
    if trigger.recipient == Recipient.VENDOR:
        vendor = parts.vendor
        if vendor is None:
            return [], "the record has no vendor"
        if channel == Channel.EMAIL:
            address = email_address(vendor.email)
            return (
                ([Addressee(address, vendor.name)], "")
                if address
                else (
                    [],
                    "the vendor has no email address",
                )
            )
        number = mobile_number(vendor.phone, prefs.country)
        return (
            ([Addressee(number, vendor.name)], "")
            if number
            else (
                [],
                "the vendor has no mobile number",
            )
        )
    if trigger.recipient == Recipient.ASSIGNED_USER:
        user = getattr(record, "status_user", None) or getattr(record, "assigned_user", None)
        if user is None:
            return [], "nobody is assigned"
        found = _people([user], channel)
        return (found, "") if found else ([], f"{user} has no email address for this")
    if trigger.recipient == Recipient.DEPARTMENT:
        department = getattr(record, "status_department", None) or getattr(
            record, "assigned_department", None
        )
        if department is None:
            return [], "no department is assigned"
        members = (
            planning.department_members(department)
            if planning is not None
            else list(department.members.filter(is_active=True))
        )
        found = _people(members, channel)
        return (found, "") if found else ([], f"nobody in {department} has an email address")
    # A fixed address or number, checked when the trigger was saved and again now.
    if channel == Channel.EMAIL:
        address = email_address(trigger.fixed_to)
        return ([Addressee(address, "")], "") if address else ([], "the fixed address is invalid")
    number = mobile_number(trigger.fixed_to, prefs.country)
    return ([Addressee(number, "")], "") if number else ([], "the fixed number is not a mobile")


def _blocked(trigger: Trigger, client: Any, action: str) -> str:
    """Why the client's options block ``action`` for this trigger, or ""."""
    about_client = trigger.recipient == Recipient.CLIENT or action in ("call", "letter")
    if client is None or not about_client:
        return ""
    if trigger.skip_do_not_market and client.do_not_market and action in ("email", "sms", "letter"):
        return f"{client.name} is marked do not market."
    if trigger.skip_do_not_call and client.do_not_call and action in ("call", "sms"):
        return f"{client.name} is marked do not call."
    return ""


def _words(template: MessageTemplate | None, values: dict[str, str]) -> tuple[str, str]:
    if template is None:
        return "", ""
    return render(template.subject, values), render(template.body, values)


def _task_plan(
    trigger: Trigger, client: Any, action: str, values: dict[str, str], planning: Planning
) -> ActionPlan:
    kind = TASK_KINDS[action]
    subject = render(trigger.task_subject, values) if trigger.task_subject else ""
    body = ""
    if action == TriggerAction.LETTER or kind == TaskKind.LETTER:
        template = trigger.template if trigger.action == TriggerAction.LETTER else None
        template = template or trigger.fallback_template
        letter_subject, body = _words(template, values)
        subject = subject or letter_subject or f"Letter to {values.get('client_name', '')}"
    if kind == TaskKind.CALL:
        phones = []
        if client is not None:
            phones = [
                f"{label}: {n}"
                for label, n in (("Mobile", client.mobile), ("Phone", client.phone))
                if n
            ]
        body = "\n".join(phones) or "The client has no phone number on file."
        subject = subject or f"Call {values.get('client_name', '')}".strip()
    due = planning.clock.calendar.due(planning.today, trigger.task_due_days)
    return ActionPlan(
        action=str(action),
        subject=subject[:200] or trigger.name[:200],
        body=body,
        task_kind=kind,
        task_user=trigger.task_user,
        task_department=trigger.task_department,
        task_due_on=due,
    )


def _uses_status_link(trigger: Trigger) -> bool:
    """Whether any words the trigger may send say ``{status_page_link}``: only then is the
    link looked up (the dry run plans thousands of firings)."""
    texts = [trigger.task_subject or ""]
    for template in (trigger.template, trigger.fallback_template):
        if template is not None:
            texts += [template.subject or "", template.body or ""]
    return any(STATUS_LINK in text for text in texts)


def plan_action(
    trigger: Trigger,
    record: Any,
    prefs: StudioPreferences | None = None,
    *,
    planning: Planning | None = None,
) -> ActionPlan:
    """What processing ``trigger``'s firing for ``record`` does now. Reads only.

    ``planning`` carries what is read of the studio once for many firings; without it, this
    reads it for the one firing."""
    planning = planning or Planning.now(prefs)
    uses_link = _uses_status_link(trigger)
    values = values_for(record, planning.prefs, today=planning.today, status_link=uses_link)
    plan = _plan(trigger, record, values, planning)
    link = values["status_page_link"]
    if link and not plan.suppressed and link in plan.subject + plan.body:
        plan.status_link = link
        plan.status_link_invoice = record_parts(record).invoice
    return plan


def _plan(trigger: Trigger, record: Any, values: dict[str, str], planning: Planning) -> ActionPlan:
    prefs = planning.prefs
    client = record_parts(record).client
    action = trigger.action
    if action in TASK_KINDS:
        blocked = _blocked(trigger, client, action)
        if blocked and action != TriggerAction.TASK:
            return ActionPlan(action="", suppressed=blocked)
        return _task_plan(trigger, client, action, values, planning)
    channel = FIRST_CHANNEL[action]
    blocked = _blocked(trigger, client, channel)
    if blocked:
        return ActionPlan(action="", suppressed=blocked)
    found, why = addressees(trigger, record, channel, prefs, planning)
    template = trigger.template
    if not found and action in FALLBACK:
        fallback = FALLBACK[action]
        blocked = _blocked(trigger, client, fallback)
        if blocked:
            return ActionPlan(action="", suppressed=f"{why}; the fallback is blocked: {blocked}")
        if fallback == TriggerAction.EMAIL:
            found, why2 = addressees(trigger, record, Channel.EMAIL, prefs, planning)
            if not found:
                return ActionPlan(action="", suppressed=f"{why}, and {why2}.")
            subject, body = _words(trigger.fallback_template, values)
            return ActionPlan(
                action="email",
                channel=Channel.EMAIL,
                to=found,
                subject=subject,
                body=body,
                fallback=f"SMS not possible: {why}.",
            )
        plan = _task_plan(trigger, client, fallback, values, planning)
        plan.fallback = f"{FIRST_CHANNEL[action].label} not possible: {why}."
        return plan
    if not found:
        return ActionPlan(action="", suppressed=f"Nothing to send: {why}.")
    subject, body = _words(template, values)
    return ActionPlan(action=str(channel), channel=channel, to=found, subject=subject, body=body)


def opening_after(now: dt.datetime, prefs: StudioPreferences) -> dt.datetime:
    """When a message held until business hours may go: now, if the studio is open now (a
    business day between its opening and closing times, in its time zone); else its opening
    time on the next business day."""
    zone = zoneinfo.ZoneInfo(prefs.time_zone)
    local = now.astimezone(zone)
    calendar = calendar_now().calendar
    day = local.date()
    if calendar.is_business_day(day):
        if prefs.opens_at <= local.time() < prefs.closes_at:
            return now
        if local.time() < prefs.opens_at:
            return dt.datetime.combine(day, prefs.opens_at, tzinfo=zone)
    return dt.datetime.combine(calendar.next_business_day(day), prefs.opens_at, tzinfo=zone)


def _system_author(trigger: Trigger, by: Any) -> Any:
    """Who a task made by a trigger is "created by": the person processing it, else the
    trigger's author, else the first active superuser."""
    if by is not None:
        return by
    if trigger.created_by_id is not None:
        return trigger.created_by
    user_model = get_user_model()
    return user_model.objects.filter(is_active=True, is_superuser=True).order_by("pk").first()


def carry_out(
    *, firing: Firing, trigger: Trigger, record: Any, plan: ActionPlan, by: Any
) -> tuple[str, str]:
    """Do what ``plan`` says for ``firing``: write the messages (the outbox) or the task.
    Returns the firing's new state and reason."""
    if plan.suppressed:
        return "suppressed", plan.suppressed
    if plan.status_link_invoice is not None:
        # The words carry the address the link has, or will have once made here: the same
        # address unless another firing made a link in between (then the words follow it).
        made = status_link_ensure(invoice=plan.status_link_invoice)
        if made != plan.status_link:
            plan.subject = plan.subject.replace(plan.status_link, made)
            plan.body = plan.body.replace(plan.status_link, made)
            plan.status_link = made
    parts = record_parts(record)
    now = timezone.now()
    if plan.task_kind:
        links: dict[str, Any] = {}
        model_name = type(record).__name__
        link_name = {
            "Session": "session",
            "Invoice": "invoice",
            "ProductionOrder": "production_order",
            "PreproductionOrder": "preproduction_order",
        }.get(model_name)
        if link_name:
            links[link_name] = record
        if parts.client is not None:
            links["client"] = parts.client
        if parts.session is not None and "session" not in links:
            links["session"] = parts.session
        if parts.invoice is not None and "invoice" not in links:
            links["invoice"] = parts.invoice
        task = task_create(
            by=_system_author(trigger, by),
            subject=plan.subject,
            kind=plan.task_kind,
            notes=plan.body,
            due_on=plan.task_due_on,
            assigned_user=plan.task_user,
            assigned_department=plan.task_department,
            links=links,
        )
        firing.task = task
        reason = plan.fallback or f"{Task(kind=plan.task_kind).get_kind_display()} created."
        return "processed", reason
    prefs = studio_preferences()
    send_at = opening_after(now, prefs) if trigger.hold_until_business_hours else now
    content_type = ContentType.objects.get_for_model(record)
    messages = [
        Message(
            key=message_key("firing", firing.pk, plan.channel, addressee.to),
            channel=plan.channel,
            to=addressee.to,
            to_name=addressee.name,
            subject=plan.subject,
            body=plan.body,
            next_attempt_at=send_at,
            created_at=now,
            created_by=by,
            firing=firing,
            content_type=content_type,
            object_id=record.pk,
            client=parts.client,
            session=parts.session,
            invoice=parts.invoice,
        )
        for addressee in plan.to
    ]
    written = messages_write(messages=messages)
    held = ""
    if send_at > now:
        local = send_at.astimezone(zoneinfo.ZoneInfo(prefs.time_zone))
        held = (
            f" Held until {format_datetime(local.replace(tzinfo=None), formats=formats_of(prefs))}."
        )
    plural = "s" if len(written) != 1 else ""
    what = f"{len(written)} {Channel(plan.channel).label} message{plural} queued."
    return "processed", " ".join(x for x in (plan.fallback, what + held) if x)
