"""The maintenance lists over the API: the endpoints of every list (``lists.py``) and the
schemas made from each list's model fields (``schemas.py``)."""

from darkroom.maintenance.api.lists import router

__all__ = ["router"]
