"""The datasets stored before formats were counted by code gain their
formats when the database is migrated (catalogues 0002). Run on a throwaway
SQLite file: migrated to 0001, filled through that state's models, then
migrated to the end."""

import json
from pathlib import Path

from tests.registry.test_migration import manage

FILL = """
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
apps = MigrationExecutor(connection).loader.project_state(("catalogues", "0001_inventory")).apps
assessment = apps.get_model("assessments", "Assessment").objects.create(
    slug="before", title="Before", subject_kind="country", subject_code="VN"
)
catalogue = apps.get_model("catalogues", "Catalogue").objects.create(
    assessment=assessment, key="portal", title="Portal", kind="ckan"
)
Dataset = apps.get_model("catalogues", "Dataset")
Distribution = apps.get_model("catalogues", "Distribution")
budget = Dataset.objects.create(catalogue=catalogue, identifier="budget", title="Budget")
Distribution.objects.create(dataset=budget, order=0, format="HTML & PDF")
Distribution.objects.create(dataset=budget, order=1, format="pdf")
Distribution.objects.create(dataset=budget, order=2, media_type="text/csv")
Dataset.objects.create(catalogue=catalogue, identifier="register", title="Register")
"""

REPORT = """
import json
from readiness.catalogues.models import DatasetFormat
print(json.dumps(sorted(
    [f.dataset.identifier, f.code, f.label, f.known] for f in DatasetFormat.objects.all()
)))
"""


def test_migrating_gives_the_stored_datasets_their_formats(tmp_path: Path) -> None:
    manage(tmp_path, "migrate", "catalogues", "0001_inventory", "-v0")
    manage(tmp_path, "shell", "-c", FILL)
    manage(tmp_path, "migrate", "-v0")
    assert json.loads(manage(tmp_path, "shell", "-c", REPORT).splitlines()[-1]) == [
        ["budget", "CSV", "CSV", True],
        ["budget", "HTML", "HTML", True],
        ["budget", "PDF", "PDF", True],
    ]
