"""PostgreSQL cannot store NUL: every door refuses it with a clear error."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from readiness.assessments.documents import validate_document
from readiness.core.errors import InvalidInput
from readiness.frameworks.services import validate_framework_data

pytestmark = pytest.mark.django_db


def test_requests_carrying_nul_get_400(assessor_client: Client) -> None:
    api = "/api/v1/assessments"
    body = {
        "slug": "x",
        "title": "a\u0000b",
        "subject": {"kind": "country", "code": "VN"},
        "frameworks": [{"key": "dgra", "version": "2018\u0000"}],
    }
    assert (
        assessor_client.post(api, json.dumps(body), content_type="application/json").status_code
        == 400
    )
    assert assessor_client.get(api + "/vietnam-2019/evidence?question=1.1%00").status_code == 400
    form = assessor_client.post("/assessments/vietnam-2019/comments/", {"text": "a\x00b"})
    assert form.status_code == 400


def test_file_uploads_are_left_to_their_parser(assessor_client: Client) -> None:
    upload = io.BytesIO(b"PK\x03\x04\x00\x00 not really a workbook")
    upload.name = "plan.xlsx"
    response = assessor_client.post(
        "/api/v1/assessments/vietnam-2019/plan.xlsx", {"workbook": upload}
    )
    assert response.status_code == 422 and "not an XLSX workbook" in response.content.decode()


def test_files_carrying_nul_are_refused_with_the_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as raised:
        validate_document({"format": "readiness-assessment/1", "assessment": {"title": "a\x00"}})
    assert raised.value.errors[0].path == "assessment.title"
    with pytest.raises(InvalidInput) as raised:
        validate_framework_data({"dimensions": [{"questions": [{"text": {"en": "\x00"}}]}]})
    assert raised.value.errors[0].path == "dimensions[0].questions[0].text.en"
    document = tmp_path / "nul.json"
    document.write_text(json.dumps({"format": "readiness-assessment/1", "x": "\u0000"}))
    with pytest.raises(CommandError, match="NUL"):
        call_command("assessment", "import", str(document))
