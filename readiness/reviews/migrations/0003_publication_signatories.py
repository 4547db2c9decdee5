import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def sign_existing_publications(apps, schema_editor):
    """Earlier publications get their submitter and approver from the
    workflow history: the last moves to in review and to approved before
    each publication."""
    Publication = apps.get_model("reviews", "Publication")
    ChangeRecord = apps.get_model("core", "ChangeRecord")
    for publication in Publication.objects.all():
        earlier = ChangeRecord.objects.filter(
            assessment_id=publication.assessment_id,
            entity="workflow",
            at__lte=publication.published_at,
        ).order_by("-id")
        publication.submitted_by_id = (
            earlier.filter(after__state="in_review").values_list("actor_id", flat=True).first()
        )
        publication.approved_by_id = (
            earlier.filter(after__state="approved").values_list("actor_id", flat=True).first()
        )
        publication.save(update_fields=["submitted_by", "approved_by"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_change_question"),
        ("reviews", "0002_publication_plans"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="submitted_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="submitted for review by",
            ),
        ),
        migrations.AddField(
            model_name="publication",
            name="approved_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="approved by",
            ),
        ),
        migrations.RunPython(sign_existing_publications, migrations.RunPython.noop),
    ]
