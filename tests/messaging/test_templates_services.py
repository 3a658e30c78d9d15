"""Writing message templates: what is refused (by name, by field, every problem at once), what a
stale version meets, and that a template in use is never deleted nor moved to another channel."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from darkroom.errors import Conflict, RecordInUse, is_duplicate
from darkroom.messaging.models import MessageTemplate
from darkroom.messaging.template_services import (
    message_template_create,
    message_template_delete,
    message_template_set_inactive,
    message_template_update,
)
from darkroom.messaging.template_words import BODY_LENGTH, MOST_SMS_PARTS
from tests.messaging.template_triggers import trigger_sending

pytestmark = pytest.mark.django_db


def refusal(**fields) -> dict[str, list[str]]:
    """What ``message_template_create`` refuses, by field (and that nothing was stored)."""
    words = {"name": "Album ready", "channel": "email", "subject": "Ready", "body": "Hello"}
    with pytest.raises(ValidationError) as caught:
        message_template_create(**{**words, **fields})
    assert not MessageTemplate.objects.exists()
    return caught.value.message_dict


def test_a_template_is_stored_as_written(people):
    template = message_template_create(
        name="  Album ready ",
        channel="sms",
        subject="",
        body="Hi {client_first_name}, your album is ready at {studio_name}.",
        by=people["manager"],
    )
    template.refresh_from_db()
    assert (template.name, template.channel, template.subject, template.version) == (
        "Album ready",
        "sms",
        "",
        1,
    )
    assert template.body == "Hi {client_first_name}, your album is ready at {studio_name}."


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("{client.__class__}", "{client.__class__}"),
        ("{{ settings }}", "settings"),
        ("{due_date:%Y}", "{due_date:%Y}"),
        ("Dear {client_nickname}", "{client_nickname}"),
        ("{client_name!r}", "{client_name!r}"),
        ("{values[0]}", "{values[0]}"),
    ],
)
def test_anything_but_a_placeholder_in_braces_is_refused_by_name(text, named):
    problems = refusal(body=text)
    assert list(problems) == ["body"]
    assert any(named in problem for problem in problems["body"]), problems


def test_every_problem_is_listed_beside_its_field():
    problems = refusal(subject="Hi {first}", body="{client.name} and {last} and a stray }")
    assert problems["subject"] == ["“{first}” is not a placeholder."]
    assert len(problems["body"]) == 3
    assert "“{last}” is not a placeholder." in problems["body"]
    assert any("{client.name}" in p for p in problems["body"])
    assert any("Braces are only for placeholders" in p for p in problems["body"])


def test_the_rules_of_each_channel():
    assert refusal(subject="")["subject"] == [
        "An email needs a subject, e.g. “Your album is ready”."
    ]
    assert refusal(channel="sms", subject="Ready")["subject"] == [
        "An SMS has no subject: leave it empty and put everything in the text."
    ]
    assert refusal(channel="fax")["channel"] == ["Choose email, SMS or letter."]
    letter = message_template_create(name="Letter", channel="letter", subject="", body="Dear…")
    assert letter.subject == ""


def test_names_text_and_lengths():
    assert refusal(name="  ")["name"] == ["Give the template a name, e.g. “Album ready”."]
    assert "at most 80 characters" in refusal(name="x" * 81)["name"][0]
    assert "at most 200 characters" in refusal(subject="x" * 201)["subject"][0]
    assert refusal(body=" \n ")["body"] == ["Write the text of the message."]
    assert "at most 20,000 characters" in refusal(body="x" * (BODY_LENGTH + 1))["body"][0]
    assert refusal(subject="Ready\r\nBcc: everyone@example.com")["subject"] == [
        "A subject is one line: remove the line breaks."
    ]
    parts = refusal(channel="sms", subject="", body="x" * (153 * MOST_SMS_PARTS + 1))
    assert parts["body"] == ["This SMS would go in 11 parts; the most is 10. Shorten it."]


def test_text_that_is_not_text_is_refused():
    assert refusal(body="Hello\x00")["body"] == ["Text must not contain NUL characters."]
    assert "lone surrogate" in refusal(name="Album \ud800")["name"][0]


def test_a_name_is_one_template_whatever_its_capitals():
    message_template_create(name="Album ready", channel="email", subject="Ready", body="Hi")
    with pytest.raises(ValidationError) as caught:
        message_template_create(name="ALBUM READY", channel="sms", body="Hi")
    assert is_duplicate(caught.value)
    assert caught.value.message_dict == {"name": ["There is already a template “ALBUM READY”."]}
    assert MessageTemplate.objects.count() == 1


def test_a_change_needs_the_version_read():
    template = message_template_create(name="Ready", channel="email", subject="S", body="Hi")
    changed = message_template_update(
        template=template, expected_version=1, body="Hello {client_first_name}"
    )
    assert (changed.body, changed.version) == ("Hello {client_first_name}", 2)
    stale = MessageTemplate.objects.get(pk=template.pk)
    stale.version = 1
    with pytest.raises(Conflict):
        message_template_update(template=stale, expected_version=1, body="Overwritten")
    assert MessageTemplate.objects.get(pk=template.pk).body == "Hello {client_first_name}"


def test_a_refused_change_changes_nothing():
    template = message_template_create(name="Ready", channel="email", subject="S", body="Hi")
    with pytest.raises(ValidationError) as caught:
        message_template_update(template=template, expected_version=1, body="{due_date:%Y}")
    assert list(caught.value.message_dict) == ["body"]
    with pytest.raises(ValidationError) as caught:
        message_template_update(template=template, expected_version=1, version=9)
    assert caught.value.message_dict == {"version": ["This can't be changed here."]}
    stored = MessageTemplate.objects.get(pk=template.pk)
    assert (stored.body, stored.version) == ("Hi", 1)


def test_switching_to_sms_drops_nothing_silently():
    template = message_template_create(name="Ready", channel="email", subject="S", body="Hi")
    with pytest.raises(ValidationError) as caught:
        message_template_update(template=template, expected_version=1, channel="sms")
    assert list(caught.value.message_dict) == ["subject"]
    changed = message_template_update(
        template=template, expected_version=1, channel="sms", subject=""
    )
    assert (changed.channel, changed.subject) == ("sms", "")


def test_a_template_in_use_is_not_deleted_and_keeps_its_channel():
    template = message_template_create(name="Ready", channel="sms", body="Hi")
    fallback = message_template_create(name="Ready email", channel="email", subject="S", body="Hi")
    trigger_sending(template)
    trigger_sending(fallback, fallback=True)
    for used in (template, fallback):
        with pytest.raises(RecordInUse) as caught:
            message_template_delete(template=used)
        assert caught.value.message == (
            f"“{used.name}” can't be deleted: it is used by 1 trigger. Make it inactive instead."
        )
    with pytest.raises(ValidationError) as caught:
        message_template_update(
            template=fallback, expected_version=1, channel="letter", subject="S"
        )
    assert "1 trigger send this template as Email" in caught.value.message_dict["channel"][0]
    assert MessageTemplate.objects.count() == 2
    changed = message_template_update(template=template, expected_version=1, body="Hello")
    assert changed.body == "Hello"


def test_retire_bring_back_and_delete():
    template = message_template_create(name="Ready", channel="sms", body="Hi")
    message_template_set_inactive(template=template)
    assert (template.is_inactive, template.version) == (True, 2)
    message_template_set_inactive(template=template, inactive=False)
    assert (template.is_inactive, template.version) == (False, 3)
    message_template_delete(template=template)
    assert not MessageTemplate.objects.exists()
