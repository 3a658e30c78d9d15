from django.apps import AppConfig


class TodosConfig(AppConfig):
    """The studio's to-dos, phone calls and letters, for a person or a department."""

    name = "darkroom.todos"
    label = "todos"
    verbose_name = "Tasks"
