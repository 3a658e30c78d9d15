"""The studio over the API: its preferences (``preferences.py``), its people and "who am I"
(``people.py``), its business calendar (``calendar.py``) and API tokens (``tokens.py``). Each
topic has its router; ``router`` mounts them all."""

from ninja import Router

from darkroom.studio.api import calendar, people, preferences, tokens

router = Router()
for topic in (preferences, people, calendar, tokens):
    router.add_router("", topic.router)

__all__ = ["router"]
