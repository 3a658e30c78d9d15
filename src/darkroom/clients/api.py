"""API endpoints of the clients app."""

from ninja import Router

router = Router(tags=["clients"])
