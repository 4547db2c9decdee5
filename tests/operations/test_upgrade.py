"""Upgrades: a database made by the previous release (the demo loaded at the
commit in tests/fixtures/previous-release.txt; rebuilt by
scripts/upgrade-fixture) migrates to the current schema with the demo intact,
and a backup written from it restores into a current installation (in the
PostgreSQL pass, a new PostgreSQL database: SQLite to PostgreSQL). The oracle
is the previous release's own export of the demo and its own row counts.
Commands run in their own processes."""

import gzip
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from tests.hostile.conftest import ROOT
from tests.operations.databases import environment, ok, separate_database

FIXTURES = ROOT / "tests" / "fixtures"
# Tables whose rows are the demo's content; their names are the same in both releases.
CONTENT_TABLES = (
    "auth_user",
    "assessments_assessment",
    "assessments_membership",
    "assessments_evidence",
    "assessments_questionrating",
    "assessments_dimensionverdict",
    "core_changerecord",
    "reviews_comment",
    "reviews_publication",
    "actionplans_action",
    "actionplans_actionupdate",
)
LOGIN = (
    "from django.contrib.auth.models import User; "
    "print(User.objects.get(username='demo-assessor').check_password('readiness-demo'))"
)


def previous_release_database(var_dir: Path) -> Path:
    var_dir.mkdir()
    database = var_dir / "readiness.sqlite3"
    with gzip.open(FIXTURES / "previous-release.sqlite3.gz") as source, database.open("wb") as out:
        shutil.copyfileobj(source, out)
    return database


def previous_release_export() -> Any:
    return json.loads(gzip.decompress((FIXTURES / "previous-release-export.json.gz").read_bytes()))


def row_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as db:
        return {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in CONTENT_TABLES}


COUNT_ROWS = f"""
import json
from django.db import connection
counts = {{}}
with connection.cursor() as cursor:
    for table in {list(CONTENT_TABLES)!r}:
        cursor.execute(f"SELECT COUNT(*) FROM {{table}}")
        counts[table] = cursor.fetchone()[0]
print(json.dumps(counts))
"""


def demo_login_works(env: dict[str, str]) -> bool:
    """With the application's own password hashers (the test settings have a
    fast one only, which cannot check the fixture's PBKDF2 hashes)."""
    own_hashers = {**env, "DJANGO_SETTINGS_MODULE": "readiness.settings"}
    return ok(own_hashers, "shell", "--no-imports", "-c", LOGIN).strip() == "True"


def assert_demo_intact(env: dict[str, str], counts: dict[str, int], tmp_path: Path) -> None:
    exported = tmp_path / "export.json"
    ok(env, "assessment", "export", "vietnam-2019", "-o", str(exported))
    assert json.loads(exported.read_text()) == previous_release_export()
    assert json.loads(ok(env, "shell", "--no-imports", "-c", COUNT_ROWS)) == counts
    assert demo_login_works(env)
    ok(env, "migrate", "--check")  # nothing left to apply


def test_a_database_of_the_previous_release_migrates_with_the_demo_intact(
    tmp_path: Path,
) -> None:
    var_dir = tmp_path / "upgraded"
    counts = row_counts(previous_release_database(var_dir))
    assert counts["core_changerecord"] > 0 and counts["actionplans_action"] > 0
    env = environment(var_dir, None)
    ok(env, "migrate", "--noinput")
    assert_demo_intact(env, counts, tmp_path)


def test_a_backup_of_the_previous_release_restores_into_this_release(tmp_path: Path) -> None:
    old = tmp_path / "old"
    counts = row_counts(previous_release_database(old))
    archive = tmp_path / "previous.zip"
    ok(environment(old, None), "backup", "-o", str(archive))
    new = tmp_path / "new"
    new.mkdir()
    with separate_database() as database_url:
        env = environment(new, database_url)
        ok(env, "migrate", "--noinput")
        assert "restored (written by Readiness" in ok(env, "restore", str(archive))
        assert_demo_intact(env, counts, tmp_path)
