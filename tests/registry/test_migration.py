"""Moving Organisation from actionplans to the registry keeps every row, the
actions' owners and the permission grants. Run on a throwaway SQLite file:
migrated to the state before the move, filled through the historical
models of that state, then migrated to the end."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BEFORE_THE_MOVE = "0003_actionupdate_after_publication"

FILL = f"""
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
apps = MigrationExecutor(connection).loader.project_state(("actionplans", "{BEFORE_THE_MOVE}")).apps
ContentType = apps.get_model("contenttypes", "ContentType")
# As the code of that time left it: no content type of the registry yet.
ContentType.objects.filter(app_label="registry").delete()
old_type, _ = ContentType.objects.get_or_create(app_label="actionplans", model="organisation")
Permission = apps.get_model("auth", "Permission")
grant, _ = Permission.objects.get_or_create(
    content_type=old_type, codename="add_organisation", defaults={{"name": "Can add organisation"}}
)
owner = apps.get_model("auth", "User").objects.create(username="owner")
owner.user_permissions.add(grant)
Organisation = apps.get_model("actionplans", "Organisation")
mic = Organisation.objects.create(
    country_code="VN", abbreviation="MIC", kind="ministry",
    name={{"en": "Ministry of Information and Communications",
           "vi": "Bộ Thông tin và Truyền thông"}},
)
mof = Organisation.objects.create(
    country_code="VN", abbreviation="MoF", kind="ministry",
    name={{"en": "Ministry of Finance", "vi": "Bộ Tài chính"}},
)
assessment = apps.get_model("assessments", "Assessment").objects.create(
    slug="before-the-move", title="Before", subject_kind="country", subject_code="VN"
)
action = apps.get_model("actionplans", "Action").objects.create(
    assessment=assessment, key="a-1", title="An action", phase="short",
    responsible=mic, start_month=1, duration_months=2,
)
action.supporting.add(mof)
"""

REPORT = """
import json
from django.contrib.auth.models import User
from readiness.actionplans.models import Action
from readiness.registry.models import Organisation
action = Action.objects.get(key="a-1")
print(json.dumps({
    "organisations": sorted(
        [o.abbreviation, o.name["vi"], o.kind, o.jurisdiction.code, o.version, o.search_text]
        for o in Organisation.objects.all()
    ),
    "responsible": action.responsible.abbreviation,
    "supporting": [o.abbreviation for o in action.supporting.all()],
    "owner may add": User.objects.get(username="owner").has_perm("registry.add_organisation"),
}))
"""


def manage(var_dir: Path, *args: str) -> str:
    # Its own SQLite file, also in the PostgreSQL pass of the tests.
    inherited = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    env = {
        **inherited,
        "READINESS_ENV": "development",
        "READINESS_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "readiness.settings",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_moving_the_register_keeps_organisations_owners_and_grants(tmp_path: Path) -> None:
    manage(tmp_path, "migrate", "actionplans", BEFORE_THE_MOVE, "-v0")
    manage(tmp_path, "shell", "-c", FILL)
    manage(tmp_path, "migrate", "-v0")
    report = json.loads(manage(tmp_path, "shell", "-c", REPORT).splitlines()[-1])
    assert report == {
        "organisations": [
            [
                "MIC",
                "Bộ Thông tin và Truyền thông",
                "ministry",
                "VN",
                1,
                " mic ministry of information and communications bo thong tin va truyen thong",
            ],
            ["MoF", "Bộ Tài chính", "ministry", "VN", 1, " mof ministry of finance bo tai chinh"],
        ],
        "responsible": "MIC",
        "supporting": ["MoF"],
        "owner may add": True,
    }
