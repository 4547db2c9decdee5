"""Slugs are matched case-insensitively and stored lower-case from now on.

A slug that is lower-case already stays as it is. One that would collide
with another once lower-cased (`Vietnam` beside `vietnam`) gets the first
free `-2`, `-3`, … suffix instead (the older assessment first), and the
migration says so on its output: nothing is refused or lost."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SLUG_LENGTH = 80


def lower_case_slugs(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Assessment = apps.get_model("assessments", "Assessment")
    rows = list(Assessment.objects.order_by("id").values_list("id", "slug"))
    taken = {slug for _pk, slug in rows if slug == slug.lower()}
    for pk, slug in rows:
        if slug == slug.lower():
            continue
        wanted = slug.lower()
        new, number = wanted, 1
        while new in taken:
            number += 1
            suffix = f"-{number}"
            new = wanted[: SLUG_LENGTH - len(suffix)] + suffix
        taken.add(new)
        Assessment.objects.filter(pk=pk).update(slug=new)
        if new != wanted:
            print(f"assessment {pk}: slug {slug!r} is now {new!r} ({wanted!r} was taken)")


class Migration(migrations.Migration):
    dependencies = [("assessments", "0003_assessment_plan_start")]

    operations = [migrations.RunPython(lower_case_slugs, migrations.RunPython.noop)]
