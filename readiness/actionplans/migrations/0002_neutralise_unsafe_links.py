"""Clear progress evidence links that break the URL rule (readiness.core.links).

Before the rule, progress `evidence_url` took any scheme, so old rows may hold
`javascript:` or `data:` addresses. The link is cleared and the old value is
kept as plain text at the end of the update's note, so nothing is lost and
nothing can be clicked. (Progress updates are the only stored addresses in
this app.)
"""

from django.db import migrations

from readiness.core.links import is_web_url


def neutralise_unsafe_links(apps, schema_editor):
    ActionUpdate = apps.get_model("actionplans", "ActionUpdate")
    for update in ActionUpdate.objects.exclude(evidence_url="").only("note", "evidence_url"):
        if not is_web_url(update.evidence_url):
            update.note = (
                f"{update.note}\n\n[evidence link removed as unsafe: {update.evidence_url}]"
            )
            update.evidence_url = ""
            update.save(update_fields=["note", "evidence_url"])


class Migration(migrations.Migration):
    dependencies = [
        ("actionplans", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(neutralise_unsafe_links, migrations.RunPython.noop),
    ]
