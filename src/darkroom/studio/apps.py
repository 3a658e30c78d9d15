from django.apps import AppConfig


class StudioConfig(AppConfig):
    """The studio itself: preferences, departments, people and their roles."""

    name = "darkroom.studio"
    label = "studio"
    verbose_name = "Studio"

    def ready(self) -> None:
        # Imported in ready(), for Django's app loading: models can't be imported any earlier.
        from django.db.models.signals import post_migrate

        from darkroom.studio.roles import sync_role_groups_after_migrate

        # Role groups need every app's permissions, so they are synced once migrations end.
        post_migrate.connect(sync_role_groups_after_migrate, dispatch_uid="darkroom-role-groups")
