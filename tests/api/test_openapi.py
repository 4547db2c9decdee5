import json
from pathlib import Path

from readiness.api.main import api

SNAPSHOT = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_the_openapi_schema_matches_the_committed_snapshot() -> None:
    current = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1"), sort_keys=True))
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert current == committed, (
        "The API changed: review it and regenerate docs/openapi.json with "
        "`readiness export_openapi_schema --api readiness.api.main.api --indent 2 --sorted "
        "--output docs/openapi.json`"
    )
