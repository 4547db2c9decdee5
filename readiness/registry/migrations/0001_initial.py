"""The registers app: Jurisdiction (new) and Organisation, taken over from
actionplans. The organisation rows stay where they are: the model keeps its
table (actionplans_organisation), so this migration only tells Django's state
that the model now lives here; the foreign keys of actions keep pointing to
the same table, on SQLite and PostgreSQL alike. Its content type moves too,
so that users given the permission to add organisations keep it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    old = ContentType.objects.filter(app_label="actionplans", model="organisation").first()
    if old is None:
        return  # a new database: post_migrate creates the registry's own
    new = ContentType.objects.filter(app_label="registry", model="organisation").first()
    if new is None:
        old.app_label = "registry"
        old.save()
        return
    # Both exist (a partial migrate ran post_migrate with this code): the
    # grants of the old permissions go to the new ones of the same name.
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Group = apps.get_model("auth", "Group")
    for permission in Permission.objects.filter(content_type=old):
        target = Permission.objects.filter(content_type=new, codename=permission.codename).first()
        if target is None:
            continue
        for user in User.objects.filter(user_permissions=permission):
            user.user_permissions.add(target)
        for group in Group.objects.filter(permissions=permission):
            group.permissions.add(target)
    old.delete()


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="registry", model="organisation").update(
        app_label="actionplans"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("actionplans", "0003_actionupdate_after_publication"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Organisation",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("country_code", models.CharField(max_length=2, verbose_name="country")),
                        ("abbreviation", models.CharField(max_length=30, verbose_name="abbreviation")),
                        ("name", models.JSONField(verbose_name="name")),
                        ("kind", models.CharField(choices=[("ministry", "Ministry"), ("agency", "Agency"), ("province", "Province"), ("other", "Other")], max_length=20, verbose_name="kind")),
                    ],
                    options={
                        "verbose_name": "organisation",
                        "verbose_name_plural": "organisations",
                        "ordering": ["country_code", "abbreviation"],
                        "db_table": "actionplans_organisation",
                        "constraints": [models.UniqueConstraint(fields=("country_code", "abbreviation"), name="organisation_abbreviation")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
        migrations.CreateModel(
            name="Jurisdiction",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=10, unique=True, verbose_name="ISO 3166 code")),
                ("level", models.CharField(choices=[("country", "Country"), ("subdivision", "Subdivision")], max_length=20, verbose_name="level")),
                ("name", models.JSONField(verbose_name="name")),
                ("subdivision_type", models.CharField(blank=True, max_length=100, verbose_name="type of subdivision")),
                ("valid_from", models.DateField(blank=True, null=True, verbose_name="valid from")),
                ("valid_until", models.DateField(blank=True, null=True, verbose_name="valid until")),
                ("search_text", models.TextField(editable=False, verbose_name="search text")),
                ("parent", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="subdivisions", to="registry.jurisdiction", verbose_name="part of")),
                ("successors", models.ManyToManyField(blank=True, related_name="predecessors", to="registry.jurisdiction", verbose_name="succeeded by")),
            ],
            options={
                "verbose_name": "jurisdiction",
                "verbose_name_plural": "jurisdictions",
                "ordering": ["code"],
            },
        ),
        migrations.CreateModel(
            name="RegisterChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("entity", models.CharField(max_length=40, verbose_name="entity")),
                ("entity_id", models.BigIntegerField(verbose_name="entity id")),
                ("action", models.CharField(choices=[("create", "created"), ("update", "changed"), ("delete", "deleted")], max_length=10, verbose_name="action")),
                ("before", models.JSONField(blank=True, null=True, verbose_name="before")),
                ("after", models.JSONField(blank=True, null=True, verbose_name="after")),
                ("at", models.DateTimeField(auto_now_add=True, verbose_name="changed at")),
                ("actor", models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="changed by")),
            ],
            options={
                "verbose_name": "change to a register",
                "verbose_name_plural": "changes to the registers",
                "ordering": ["at", "id"],
                "indexes": [models.Index(fields=["entity", "entity_id"], name="registry_re_entity_1b3309_idx")],
            },
        ),
    ]
