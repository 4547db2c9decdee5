"""What the register holds beyond the old actionplans entry. The
jurisdiction starts empty; 0003 fills it and 0004 makes it required (three
migrations, so that PostgreSQL never alters a table with rows updated in the
same transaction)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
        ("actionplans", "0004_organisation_moved_to_registry"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="abbreviation_vi",
            field=models.CharField(blank=True, max_length=30, verbose_name="Vietnamese acronym"),
        ),
        migrations.AddField(
            model_name="organisation",
            name="aliases",
            field=models.JSONField(blank=True, default=list, verbose_name="other names"),
        ),
        migrations.AddField(
            model_name="organisation",
            name="jurisdiction",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="organisations", to="registry.jurisdiction", verbose_name="jurisdiction"),
        ),
        migrations.AddField(
            model_name="organisation",
            name="parent",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="units", to="registry.organisation", verbose_name="part of"),
        ),
        migrations.AddField(
            model_name="organisation",
            name="search_text",
            field=models.TextField(default="", editable=False, verbose_name="search text"),
        ),
        migrations.AddField(
            model_name="organisation",
            name="version",
            field=models.PositiveIntegerField(default=1, verbose_name="version"),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="abbreviation",
            field=models.CharField(max_length=30, verbose_name="acronym"),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="kind",
            field=models.CharField(choices=[("ministry", "Ministry"), ("agency", "Agency"), ("province", "Province"), ("state_owned_enterprise", "State-owned enterprise"), ("civil_society", "Civil society"), ("business", "Business"), ("academia", "Academia"), ("development_partner", "Development partner"), ("other", "Other")], max_length=30, verbose_name="type"),
        ),
    ]
