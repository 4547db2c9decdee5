"""Organisation now lives in the registry app (its table and rows stay
where they were: see registry 0001). Only Django's state changes here."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actionplans", "0003_actionupdate_after_publication"),
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="action",
                    name="responsible",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="responsible_for", to="registry.organisation", verbose_name="responsible agency"),
                ),
                migrations.AlterField(
                    model_name="action",
                    name="supporting",
                    field=models.ManyToManyField(blank=True, related_name="supporting", to="registry.organisation", verbose_name="supporting agencies"),
                ),
                migrations.DeleteModel(name="Organisation"),
            ],
            database_operations=[],
        ),
    ]
