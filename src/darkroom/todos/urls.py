"""Task pages under ``/tasks/`` (their status dialog and history are the status engine's,
``tracking:task-status`` …, which hide another person's private task the same way)."""

from __future__ import annotations

from django.urls import path

from darkroom.todos import views

app_name = "todos"
urlpatterns = [
    path("", views.task_list, name="task-list"),
    path("new/", views.task_create, name="task-create"),
    path("<int:pk>/", views.task_detail, name="task-detail"),
    path("<int:pk>/edit/", views.task_edit, name="task-edit"),
    path("<int:pk>/letter.pdf", views.task_letter_pdf, name="task-letter"),
]
