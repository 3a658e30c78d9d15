"""Calendar feeds: a private address a calendar app subscribes to, one per person, per
department, and one for the whole studio.

The address carries a secret, like an API token, and Darkroom keeps only its hash
(``studio.services.secret_hash``): calendar apps can't log in, so the address is the key. A feed
is revoked, never deleted; making a new one for the same person, department or studio revokes
the one before (at most one works at a time, which the database keeps true).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class FeedScope(models.TextChoices):
    PERSON = "person", "A person's work"
    DEPARTMENT = "department", "A department's work"
    STUDIO = "studio", "The whole studio"


class CalendarFeed(models.Model):
    """ "Ada's work, in her phone's calendar": a secret address and whose work it shows."""

    scope = models.CharField(max_length=12, choices=FeedScope.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Person feeds: whose work (what is assigned to them).",
    )
    department = models.ForeignKey(
        "studio.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Department feeds: the department whose work it shows.",
    )
    key_hash = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField(
        max_length=12, help_text="The secret's first characters, to tell addresses apart."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_read_at = models.DateTimeField(
        null=True, blank=True, help_text="When a calendar app last read it (noted hourly)."
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope="person", user__isnull=False, department__isnull=True)
                | Q(scope="department", user__isnull=True, department__isnull=False)
                | Q(scope="studio", user__isnull=True, department__isnull=True),
                name="calendarfeed_scope_names_its_owner",
            ),
            # One working address per person, per department and for the studio.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(scope="person", revoked_at__isnull=True),
                name="calendarfeed_one_per_person",
            ),
            models.UniqueConstraint(
                fields=["department"],
                condition=Q(scope="department", revoked_at__isnull=True),
                name="calendarfeed_one_per_department",
            ),
            models.UniqueConstraint(
                fields=["scope"],
                condition=Q(scope="studio", revoked_at__isnull=True),
                name="calendarfeed_one_for_the_studio",
            ),
        ]
        indexes = [
            models.Index(fields=["scope", "-created_at"], name="calendarfeed_scope_newest"),
        ]

    def __str__(self) -> str:
        return f"calendar feed of {self.owner_name}"

    @property
    def owner_name(self) -> str:
        """Whose work the feed shows, in words: "Ada Lovelace", "Retouching", "the studio"."""
        if self.scope == FeedScope.PERSON and self.user is not None:
            return self.user.get_full_name() or self.user.get_username()
        if self.scope == FeedScope.DEPARTMENT and self.department is not None:
            return self.department.name
        return "the whole studio"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
