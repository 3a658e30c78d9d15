"""Messaging's pages under ``/messages/``: the review queue, the outbox, failed messages and
the dry run (the templates and triggers are under Maintenance)."""

from __future__ import annotations

from django.urls import path

from darkroom.messaging.views import review

app_name = "messages"
urlpatterns = [
    path("", review.review_queue, name="review-queue"),
    path("review/count/", review.review_count, name="review-count"),
    path("review/<int:pk>/decide/", review.review_decide, name="review-decide"),
    path("review/triggers/<int:pk>/decide/", review.review_decide_group, name="review-decide-all"),
    path("outbox/", review.outbox, name="outbox"),
    path("failed/", review.failed, name="failed"),
    path("<int:pk>/resend/", review.resend, name="resend"),
    path("<int:pk>/abort/", review.abort, name="abort"),
    path("dry-run/", review.dry_run, name="dry-run"),
]
