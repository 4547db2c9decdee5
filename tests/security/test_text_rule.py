"""The text rule (readiness.core.text) at every door: control characters
other than tab and newline are refused naming the field and nothing is
stored; CRLF becomes LF; "%00" typed as text is text; each kind of field has
one maximum length; slugs and action keys are matched whatever their case."""

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from readiness.accounts.models import ApiToken
from readiness.actionplans.models import Action, ActionUpdate
from readiness.api.main import api
from readiness.assessments import services
from readiness.assessments.documents import validate_document
from readiness.assessments.models import Assessment, DimensionVerdict, Evidence
from readiness.core.errors import InvalidInput
from readiness.frameworks.services import validate_framework_data
from readiness.reviews.models import Comment

pytestmark = pytest.mark.django_db

# Every C0 control character but tab, newline and carriage return (which is
# a line break, normalised to LF), and DEL.
REFUSED = [chr(code) for code in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]]
REFUSED_IDS = [f"U+{ord(char):04X}" for char in REFUSED]


def first_evidence(demo: Assessment) -> Evidence:
    return Evidence.objects.select_related("question__framework").filter(assessment=demo).first()  # type: ignore[return-value]


def evidence_url(demo: Assessment) -> str:
    return "/api/v1/assessments/vietnam-2019/evidence"


def evidence_body(item: Evidence, text: str) -> dict[str, str]:
    return {
        "framework": item.question.framework.key,
        "question": item.question.key,
        "sign": "+",
        "text": text,
        "source_kind": "document",
    }


def error_paths(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {error["path"] for error in response.json()["errors"]}


# --- the API -------------------------------------------------------------------


@pytest.mark.parametrize("char", REFUSED, ids=REFUSED_IDS)
def test_the_api_refuses_a_control_character_in_evidence_naming_the_field(
    demo: Assessment, assessor_client: Client, char: str
) -> None:
    item = first_evidence(demo)
    count = Evidence.objects.count()
    response = assessor_client.post(
        evidence_url(demo),
        json.dumps(evidence_body(item, f"before{char}after")),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert error_paths(response) == {"text"}
    assert Evidence.objects.count() == count


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b"], ids=["NUL", "BEL", "ESC"])
def test_the_api_refuses_control_characters_in_ratings_comments_and_token_names(
    demo: Assessment, assessor: User, assessor_client: Client, char: str
) -> None:
    item = first_evidence(demo)
    rating = assessor_client.put(
        f"/api/v1/assessments/vietnam-2019/ratings/{item.question.framework.key}/{item.question.key}",
        json.dumps({"level": "x", "rationale": f"a{char}b"}),
        content_type="application/json",
    )
    assert rating.status_code == 422 and error_paths(rating) == {"rationale"}
    comment = assessor_client.post(
        "/api/v1/assessments/vietnam-2019/comments",
        json.dumps({"text": f"a{char}b"}),
        content_type="application/json",
    )
    assert comment.status_code == 422 and error_paths(comment) == {"text"}
    token = assessor_client.post(
        "/api/v1/account/tokens", json.dumps({"name": f"a{char}b"}), content_type="application/json"
    )
    assert token.status_code == 422 and error_paths(token) == {"name"}
    assert not Comment.objects.filter(text__startswith="a").exists()
    assert not ApiToken.objects.filter(user=assessor).exists()


def test_the_api_stores_crlf_as_lf_and_percent_00_as_text(
    demo: Assessment, assessor_client: Client
) -> None:
    item = first_evidence(demo)
    text = 'line one\r\nline two\rline three: 50%00 and "\\u0000"'
    response = assessor_client.post(
        evidence_url(demo), json.dumps(evidence_body(item, text)), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    stored = Evidence.objects.get(pk=response.json()["id"]).text
    assert stored == 'line one\nline two\nline three: 50%00 and "\\u0000"'


def test_evidence_text_may_be_20000_characters_and_not_one_more(
    demo: Assessment, assessor_client: Client
) -> None:
    item = first_evidence(demo)
    count = Evidence.objects.count()
    too_long = assessor_client.post(
        evidence_url(demo),
        json.dumps(evidence_body(item, "x" * 20_001)),
        content_type="application/json",
    )
    assert too_long.status_code == 422 and error_paths(too_long) == {"text"}
    assert Evidence.objects.count() == count
    longest = assessor_client.post(
        evidence_url(demo),
        json.dumps(evidence_body(item, "x" * 20_000)),
        content_type="application/json",
    )
    assert longest.status_code == 201
    assert len(Evidence.objects.get(pk=longest.json()["id"]).text) == 20_000


def test_the_services_hold_the_same_limit_for_every_door(demo: Assessment, assessor: User) -> None:
    item = first_evidence(demo)
    with pytest.raises(InvalidInput) as raised:
        services.add_evidence(
            actor=assessor,
            assessment=demo,
            question=item.question,
            sign="+",
            text="x" * 20_001,
            source_kind="document",
        )
    assert [error.path for error in raised.value.errors] == ["text"]


def test_patching_evidence_with_null_is_refused_naming_the_fields(
    demo: Assessment, assessor_client: Client
) -> None:
    item = first_evidence(demo)
    url = f"{evidence_url(demo)}/{item.pk}"
    response = assessor_client.patch(
        url,
        json.dumps({"version": item.version, "text": None, "author": None}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert error_paths(response) == {"text", "author"}
    unchanged = Evidence.objects.get(pk=item.pk)
    assert (unchanged.text, unchanged.version) == (item.text, item.version)
    # A date has a null value: no date.
    cleared = assessor_client.patch(
        url, json.dumps({"version": item.version, "date": None}), content_type="application/json"
    )
    assert cleared.status_code == 200
    assert Evidence.objects.get(pk=item.pk).date is None


def test_a_control_character_in_the_address_is_a_clear_4xx(
    demo: Assessment, assessor_client: Client
) -> None:
    base = "/api/v1/assessments/vietnam-2019"
    for url in [
        f"{base}/evidence?question=1.1%00",
        f"{base}/evidence?question=1.1%07",
        "/api/v1/assessments/vietnam%002019/evidence",
        "/assessments/vietnam-2019/dgra/1%00/",
        "/admin/assessments/assessment/?q=%00",
    ]:
        response = assessor_client.get(url)
        assert 400 <= response.status_code < 500, url
    # Typed as text, "%00" is text: here it is no question key, said as such.
    typed = assessor_client.get(f"{base}/evidence?question=%2500")
    assert typed.status_code == 422 and error_paths(typed) == {"question"}


def test_the_openapi_schema_shows_the_limits() -> None:
    schemas = api.get_openapi_schema()["components"]["schemas"]
    assert schemas["EvidenceIn"]["properties"]["text"]["maxLength"] == 20000
    assert schemas["EvidenceIn"]["properties"]["reference_title"]["maxLength"] == 300
    assert schemas["EvidenceIn"]["properties"]["author"]["maxLength"] == 200


# --- the web -------------------------------------------------------------------


@pytest.mark.parametrize("char", REFUSED, ids=REFUSED_IDS)
def test_the_web_form_refuses_a_control_character_naming_the_field(
    demo: Assessment, assessor_client: Client, char: str
) -> None:
    item = first_evidence(demo)
    count = Evidence.objects.count()
    response = assessor_client.post(
        f"/assessments/vietnam-2019/questions/{item.question.pk}/evidence/",
        {"sign": "+", "text": f"before{char}after", "source_kind": "document"},
    )
    assert response.status_code == 422
    assert "text" in response.context["evidence_form"].errors
    assert Evidence.objects.count() == count


def test_the_web_stores_crlf_as_lf_and_percent_00_as_text(
    demo: Assessment, assessor_client: Client
) -> None:
    item = first_evidence(demo)
    response = assessor_client.post(
        f"/assessments/vietnam-2019/questions/{item.question.pk}/evidence/",
        {"sign": "+", "text": "one\r\ntwo 100%00 \\u0000", "source_kind": "document"},
    )
    assert response.status_code in (200, 302)
    assert Evidence.objects.filter(assessment=demo, text="one\ntwo 100%00 \\u0000").exists()
    comment = assessor_client.post("/assessments/vietnam-2019/comments/", {"text": "a%00b"})
    assert comment.status_code == 302
    assert Comment.objects.filter(assessment=demo, text="a%00b").exists()


def test_a_web_comment_with_a_control_character_is_refused(
    demo: Assessment, assessor_client: Client
) -> None:
    response = assessor_client.post(
        "/assessments/vietnam-2019/comments/", {"text": "a\x07b"}, HTTP_HX_REQUEST="true"
    )
    assert "U+0007" in response.content.decode()
    assert not Comment.objects.filter(assessment=demo, text__contains="\x07").exists()


# --- the command line and files ---------------------------------------------------


def plan_file(tmp_path: Path, title: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(
        "format: readiness-action-plan/1\n"
        "assessment: VIETNAM-2019\n"
        "framework: dgra\n"
        "actions:\n"
        "  - key: My-New-Action\n"
        f'    title: "{title}"\n'
        '    dimensions: ["1"]\n'
        "    phase: short\n"
        "    responsible: MIC\n"
        "    start_month: 1\n"
        "    duration_months: 2\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "escaped", ["\\0", "\\a", "\\e", "\\x7f"], ids=["NUL", "BEL", "ESC", "DEL"]
)
def test_the_cli_plan_import_refuses_control_characters_in_one_line(
    demo: Assessment, tmp_path: Path, escaped: str
) -> None:
    count = Action.objects.filter(assessment=demo).count()
    with pytest.raises(CommandError) as raised:
        call_command("plan", "import", str(plan_file(tmp_path, f"A{escaped}B")))
    assert "actions[0].title: must not contain the control character U+" in str(raised.value)
    assert Action.objects.filter(assessment=demo).count() == count


def test_the_cli_plan_import_stores_keys_lower_case_and_finds_the_slug_in_any_case(
    demo: Assessment, tmp_path: Path
) -> None:
    call_command("plan", "import", str(plan_file(tmp_path, "A plain title")))
    action = Action.objects.get(assessment=demo, key="my-new-action")
    call_command(
        "plan", "progress", "Vietnam-2019", "MY-NEW-ACTION", "--percent", "10",
        "--status", "in_progress", "--note", "Started\r\nwell",
    )  # fmt: skip
    assert ActionUpdate.objects.get(action=action).note == "Started\nwell"
    with pytest.raises(CommandError, match="note"):
        call_command(
            "plan", "progress", "vietnam-2019", "my-new-action", "--percent", "20",
            "--status", "in_progress", "--note", "bell\x07",
        )  # fmt: skip
    assert ActionUpdate.objects.filter(action=action).count() == 1


def test_an_upper_case_slug_finds_the_assessment_at_every_door(
    demo: Assessment, assessor_client: Client, tmp_path: Path
) -> None:
    assert assessor_client.get("/assessments/VIETNAM-2019/").status_code == 200
    api_answer = assessor_client.get("/api/v1/assessments/VIETNAM-2019")
    assert api_answer.status_code == 200 and api_answer.json()["slug"] == "vietnam-2019"
    output = tmp_path / "export.json"
    call_command("assessment", "export", "VIETNAM-2019", "-o", str(output))
    assert json.loads(output.read_text())["assessment"]["slug"] == "vietnam-2019"


def test_a_new_slug_is_stored_lower_case_and_the_iso_code_upper_case(demo: Assessment) -> None:
    created = services.create_assessment(
        actor=None,
        slug="My-Slug",
        title="Title\r\nwith a break",
        subject_kind="country",
        subject_code=" vn ",
        frameworks=list(demo.frameworks.all()[:1]),
    )
    created.refresh_from_db()
    assert (created.slug, created.subject_code, created.title) == (
        "my-slug",
        "VN",
        "Title\nwith a break",
    )
    with pytest.raises(InvalidInput) as raised:
        services.create_assessment(
            actor=None,
            slug="MY-SLUG",
            title="Again",
            subject_kind="country",
            subject_code="VN",
            frameworks=list(demo.frameworks.all()[:1]),
        )
    assert [error.path for error in raised.value.errors] == ["slug"]


def test_a_verdict_commentary_with_a_control_character_changes_nothing(
    demo: Assessment, lead: User
) -> None:
    verdict = (
        DimensionVerdict.objects.select_related("dimension__framework", "level")
        .filter(assessment=demo)
        .first()
    )
    assert verdict is not None
    with pytest.raises(InvalidInput) as raised:
        services.record_verdict(
            actor=lead,
            assessment=demo,
            dimension=verdict.dimension,
            level_code=verdict.level.code,
            commentary="a\x0cb",
            override_reason=verdict.override_reason,
            expected_version=verdict.version,
        )
    assert [error.path for error in raised.value.errors] == ["commentary"]
    assert DimensionVerdict.objects.get(pk=verdict.pk).version == verdict.version


def test_files_carrying_control_characters_are_refused_with_the_path(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as raised:
        validate_document({"format": "readiness-assessment/1", "assessment": {"title": "a\x00"}})
    assert raised.value.errors[0].path == "assessment.title"
    with pytest.raises(InvalidInput) as raised:
        validate_framework_data({"dimensions": [{"questions": [{"text": {"en": "\x1f"}}]}]})
    assert raised.value.errors[0].path == "dimensions[0].questions[0].text.en"
    document = tmp_path / "nul.json"
    document.write_text(json.dumps({"format": "readiness-assessment/1", "x": "\u0000"}))
    with pytest.raises(CommandError, match="control character U\\+0000"):
        call_command("assessment", "import", str(document))


def test_file_uploads_are_left_to_their_parser(assessor_client: Client) -> None:
    upload = io.BytesIO(b"PK\x03\x04\x00\x00 not really a workbook")
    upload.name = "plan.xlsx"
    response = assessor_client.post(
        "/api/v1/assessments/vietnam-2019/plan.xlsx", {"workbook": upload}
    )
    assert response.status_code == 422 and "not an XLSX workbook" in response.content.decode()


def test_the_columns_hold_the_longest_text_the_rule_allows() -> None:
    from readiness.actionplans.models import Action as PlannedAction
    from readiness.frameworks.models import Dimension, Framework, Question

    expected = {
        (Assessment, "slug"): 80,
        (Assessment, "title"): 300,
        (Evidence, "reference_title"): 300,
        (Evidence, "reference_url"): 1000,
        (Evidence, "author"): 200,
        (PlannedAction, "key"): 40,
        (PlannedAction, "title"): 300,
        (PlannedAction, "months_text"): 200,
        (PlannedAction, "cost_text"): 200,
        (PlannedAction, "source"): 300,
        (ApiToken, "name"): 100,
        (Dimension, "key"): 40,
        (Question, "key"): 40,
        (Framework, "source_url"): 1000,
    }
    for (model, field), limit in expected.items():
        column = model._meta.get_field(field).max_length
        assert column is not None and column >= limit, (model.__name__, field)
