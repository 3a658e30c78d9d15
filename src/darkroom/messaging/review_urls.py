"""Messaging's pages under ``/messages/``: the review queue, the outbox, failed messages and
the dry run (the templates and triggers are under Maintenance)."""

from __future__ import annotations

from django.urls import path

from darkroom.messaging import views

app_name = "messages"
urlpatterns = [
    path("", views.review_queue, name="review-queue"),
    path("review/count/", views.review_count, name="review-count"),
    path("review/<int:pk>/decide/", views.review_decide, name="review-decide"),
    path("review/triggers/<int:pk>/decide/", views.review_decide_group, name="review-decide-all"),
    path("outbox/", views.outbox, name="outbox"),
    path("failed/", views.failed, name="failed"),
    path("<int:pk>/resend/", views.resend, name="resend"),
    path("<int:pk>/abort/", views.abort, name="abort"),
    path("dry-run/", views.dry_run, name="dry-run"),
]
