import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_organisation_jurisdiction_and_search")]

    operations = [
        migrations.AlterField(
            model_name="organisation",
            name="jurisdiction",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="organisations", to="registry.jurisdiction", verbose_name="jurisdiction"),
        ),
    ]
