"""Reads of the studio's own records."""

from __future__ import annotations

from django.db.models import QuerySet

from darkroom.studio.models import Department, StudioPreferences


def studio_preferences() -> StudioPreferences:
    """The preferences row; a studio that never saved any gets the defaults (not yet stored)."""
    prefs = StudioPreferences.objects.filter(pk=1).first()
    return prefs if prefs is not None else StudioPreferences(pk=1)


def active_departments() -> QuerySet[Department]:
    return Department.objects.filter(is_inactive=False)
