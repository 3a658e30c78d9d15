"""Darkroom: production tracking for photography studios."""

__version__ = "0.1.0"
