"""The hub's pages, under /production/: the list of open orders and the board."""

from django.urls import path  # noqa: F401

app_name = "hub"
urlpatterns: list = []
