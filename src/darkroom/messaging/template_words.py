"""The rules of a template's words, in one place for saving and previewing: every placeholder
one of the fixed list (anything else in braces refused by name), an email's subject on one line,
no subject for an SMS and a bounded number of parts, text that is text."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from darkroom.messaging.models import Channel, MessageTemplate
from darkroom.messaging.placeholders import check_text, sms_length
from darkroom.plain_text import text_problem

NAME_LENGTH = MessageTemplate._meta.get_field("name").max_length or 80
SUBJECT_LENGTH = MessageTemplate._meta.get_field("subject").max_length or 200
# A letter or an email longer than this is a mistake (a pasted file), not a message.
BODY_LENGTH = 20_000
# An SMS split into more parts than this costs the studio more than it tells the client.
MOST_SMS_PARTS = 10


def _problems(*, name: str, channel: str, subject: str, body: str) -> dict[str, list[str]]:
    """Everything wrong with the template's words, by field; empty when it can be stored."""
    problems: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    for field, text in (("name", name), ("subject", subject), ("body", body)):
        problem = text_problem(text)
        if problem:
            refuse(field, problem)
    if problems:
        return problems  # text that is not text: nothing else about it is worth saying
    if not name.strip():
        refuse("name", "Give the template a name, e.g. “Album ready”.")
    elif len(name) > NAME_LENGTH:
        refuse("name", f"A name is at most {NAME_LENGTH} characters (this one has {len(name)}).")
    if channel not in Channel.values:
        refuse("channel", "Choose email, SMS or letter.")
    if channel == Channel.SMS and subject:
        refuse("subject", "An SMS has no subject: leave it empty and put everything in the text.")
    elif channel == Channel.EMAIL and not subject.strip():
        refuse("subject", "An email needs a subject, e.g. “Your album is ready”.")
    if "\n" in subject or "\r" in subject:
        refuse("subject", "A subject is one line: remove the line breaks.")
    if len(subject) > SUBJECT_LENGTH:
        refuse(
            "subject",
            f"A subject is at most {SUBJECT_LENGTH} characters (this one has {len(subject)}).",
        )
    for problem in check_text(subject):
        refuse("subject", problem)
    if not body.strip():
        refuse("body", "Write the text of the message.")
    elif len(body) > BODY_LENGTH:
        refuse("body", f"The text is at most {BODY_LENGTH:,} characters (this has {len(body):,}).")
    elif channel == Channel.SMS:
        length = sms_length(body)
        if length.parts > MOST_SMS_PARTS:
            refuse(
                "body",
                f"This SMS would go in {length.parts} parts; the most is {MOST_SMS_PARTS}. "
                "Shorten it.",
            )
    for problem in check_text(body):
        refuse("body", problem)
    return problems


def message_template_check(*, name: str, channel: str, subject: str, body: str) -> None:
    """Refuse (ValidationError by field, every problem listed) words that can't be stored."""
    problems = _problems(name=name, channel=channel, subject=subject, body=body)
    if problems:
        raise ValidationError(problems)
