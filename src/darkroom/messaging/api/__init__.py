"""Messaging over the API: the review queue and the dry run (``review.py``), the outbox and
each record's communication log (``messages.py``), message templates (``templates.py``) and
triggers (``triggers.py``). Each topic has its router; ``router`` mounts them all."""

from ninja import Router

from darkroom.messaging.api import messages, review, templates, triggers

router = Router()
for topic in (review, messages, templates, triggers):
    router.add_router("", topic.router)

__all__ = ["router"]
