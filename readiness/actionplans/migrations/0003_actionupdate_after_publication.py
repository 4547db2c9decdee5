from django.db import migrations, models
from django.db.models import Exists, OuterRef


def mark_tracking_after_publication(apps, schema_editor):
    """Earlier updates recorded after their assessment's first publication
    are tracking of the published plan."""
    ActionUpdate = apps.get_model("actionplans", "ActionUpdate")
    Publication = apps.get_model("reviews", "Publication")
    earlier_publication = Publication.objects.filter(
        assessment_id=OuterRef("action__assessment_id"), published_at__lte=OuterRef("created_at")
    )
    ActionUpdate.objects.filter(Exists(earlier_publication)).update(after_publication=True)


class Migration(migrations.Migration):
    dependencies = [
        ("actionplans", "0002_neutralise_unsafe_links"),
        ("reviews", "0002_publication_plans"),
    ]

    operations = [
        migrations.AddField(
            model_name="actionupdate",
            name="after_publication",
            field=models.BooleanField(default=False, verbose_name="after publication"),
        ),
        migrations.RunPython(mark_tracking_after_publication, migrations.RunPython.noop),
    ]
