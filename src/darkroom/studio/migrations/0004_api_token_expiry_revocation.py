"""API tokens get a name, a prefix in clear, an expiry and revocation.

Tokens made before keep working (no expiry, no prefix: the secret was never kept). Tokens of
people who are inactive today are revoked here, so reactivating such a person later does not
bring an old token back to life, as deactivating someone now revokes theirs for good.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def revoke_tokens_of_inactive_people(apps, schema_editor):
    ApiToken = apps.get_model("studio", "ApiToken")
    ApiToken.objects.filter(user__is_active=False, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("studio", "0003_statuses_by_session_type"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="apitoken", old_name="label", new_name="name"),
        migrations.AlterField(
            model_name="apitoken",
            name="name",
            field=models.CharField(blank=True, help_text="What the token is for.", max_length=80),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="key_prefix",
            field=models.CharField(
                blank=True,
                help_text="Empty for tokens made before prefixes were kept.",
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(blank=True, help_text="Empty: works until revoked.", null=True),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="apitoken",
            index=models.Index(fields=["user", "-created_at"], name="apitoken_user_newest"),
        ),
        migrations.RunPython(revoke_tokens_of_inactive_people, migrations.RunPython.noop),
    ]
