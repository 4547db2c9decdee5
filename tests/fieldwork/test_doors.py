"""Offline collection through the web, the API and the command line: the
framework's XLSForm from each, and the submissions imported and decided in
the web and the API with the outcomes of the service (test_submissions.py)."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from pyxform.xls2xform import convert

from readiness.assessments.models import Assessment, Evidence, QuestionRating
from readiness.fieldwork.models import ProposedRating, Submission
from readiness.frameworks.models import Framework
from tests.conftest import client_for
from tests.fieldwork.exports import kobo_csv, odk_csv, unrated

WEB = "/assessments/vietnam-2019/submissions/"
API = "/api/v1/assessments/vietnam-2019/submissions"


@pytest.fixture(autouse=True)
def three_unrated(demo: Assessment) -> None:
    QuestionRating.objects.filter(assessment=demo, question__in=unrated(demo, 3)).delete()


def upload(data: bytes, name: str) -> io.BytesIO:
    buffer = io.BytesIO(data)
    buffer.name = name
    return buffer


def converts(data: bytes) -> str:
    warnings: list[str] = []
    xform = convert(data, warnings=warnings, file_type=".xlsx").xform
    assert warnings == []
    return xform


# --- the XLSForm ------------------------------------------------------------------


def test_the_framework_page_offers_its_xlsform_and_the_file_converts(assessor: User) -> None:
    client = client_for(assessor)
    page = client.get("/frameworks/odra/3.1/").content.decode()
    assert 'href="/frameworks/odra/3.1/xlsform/"' in page
    response = client.get("/frameworks/odra/3.1/xlsform/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="odra-3.1.xlsx"'
    assert 'id="odra"' in converts(response.content)


def test_the_api_gives_the_same_form(assessor: User) -> None:
    web = client_for(assessor).get("/frameworks/dgra/2018/xlsform/").content
    api = client_for(assessor).get("/api/v1/frameworks/dgra/2018/xlsform")
    assert api.status_code == 200
    assert api["Content-Type"].startswith("application/vnd.openxmlformats")
    assert converts(api.content) == converts(web)


def test_an_unknown_framework_version_is_404_in_every_door(assessor: User) -> None:
    client = client_for(assessor)
    assert client.get("/frameworks/dgra/1999/xlsform/").status_code == 404
    response = client.get("/api/v1/frameworks/dgra/1999/xlsform")
    assert response.status_code == 404
    assert response.json()["message"] == "Framework dgra 1999 is not loaded."


@pytest.mark.django_db
def test_the_cli_writes_the_form_of_the_one_loaded_version(tmp_path: Path) -> None:
    out = io.StringIO()
    path = tmp_path / "form.xlsx"
    call_command("fieldwork", "xlsform", "dgra", "-o", str(path), stdout=out)
    assert f"wrote {path}" in out.getvalue()
    assert 'version="2018"' in converts(path.read_bytes())


@pytest.mark.django_db
def test_the_cli_asks_which_version_when_several_are_loaded(tmp_path: Path) -> None:
    framework = Framework.objects.get(key="odra", version="3.1")
    framework.pk, framework.version = None, "3.2"
    framework.save()
    path = tmp_path / "form.xlsx"
    with pytest.raises(CommandError, match=re.escape("several versions; name one of: 3.1, 3.2")):
        call_command("fieldwork", "xlsform", "odra", "-o", str(path))
    with pytest.raises(CommandError, match="no framework odr is loaded"):
        call_command("fieldwork", "xlsform", "odr", "-o", str(path))
    assert not path.exists()
    call_command("fieldwork", "xlsform", "odra", "3.1", "-o", str(path), stdout=io.StringIO())
    assert 'version="3.1"' in converts(path.read_bytes())


# --- the web ------------------------------------------------------------------------


def test_an_assessor_imports_in_the_web_and_sees_the_counts_and_the_proposals(
    demo: Assessment, assessor: User
) -> None:
    client = client_for(assessor)
    page = client.get(WEB).content.decode()
    assert 'href="/frameworks/dgra/2018/xlsform/"' in page
    assert 'action="/assessments/vietnam-2019/submissions/import/"' in page
    response = client.post(WEB + "import/", {"file": upload(kobo_csv(demo), "kobo.csv")})
    assert response.status_code == 302 and response["Location"] == WEB
    page = client.get(WEB).content.decode()
    assert (
        "3 submissions read: 3 added, 0 imported before; 3 evidence items, 2 ratings proposed"
        in page
    )
    q1, _q2, q3 = unrated(demo, 3)
    assert f"Accept for {q1.key}" in page and f"Accept for {q3.key}" in page
    imports = client.get(WEB + "imports/").content.decode()
    assert "kobo.csv" in imports and "KoboToolbox" in imports


def test_a_bad_export_is_refused_in_the_web_naming_the_line_and_nothing_is_added(
    demo: Assessment, assessor: User
) -> None:
    data = kobo_csv(demo).replace(b";green;", b";purple;")
    assert b"purple" in data
    evidence = Evidence.objects.count()
    response = client_for(assessor).post(WEB + "import/", {"file": upload(data, "k.csv")})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Nothing was imported:" in page
    assert "k.csv: line 2, d_1/q_1.1: &#x27;purple&#x27; is not one of" in page
    assert Evidence.objects.count() == evidence and not Submission.objects.exists()


def test_a_rated_question_is_replaced_only_by_the_button_that_says_so(
    demo: Assessment, assessor: User
) -> None:
    client = client_for(assessor)
    client.post(WEB + "import/", {"file": upload(odk_csv(demo), "odk.csv")})
    first, second = ProposedRating.objects.filter(assessment=demo).order_by("id")
    # Someone rates the first question after the import.
    QuestionRating.objects.create(
        assessment=demo, question=first.question, level=second.level, rationale="Rated by hand."
    )
    page = client.get(WEB).content.decode()
    assert f"Replace the rating of {first.question.key}" in page
    assert f"Accept for {second.question.key}" in page
    # Accepting without the rating's version keeps the rating and says why.
    response = client.post(f"{WEB}proposals/{first.pk}/accept/", {"version": 1}, follow=True)
    assert "the question is rated red already (version 1)" in response.content.decode()
    assert QuestionRating.objects.get(assessment=demo, question=first.question).level.code == "red"
    client.post(f"{WEB}proposals/{first.pk}/accept/", {"version": 1, "replace_rating_version": 1})
    rating = QuestionRating.objects.get(assessment=demo, question=first.question)
    assert (rating.level.code, rating.rationale) == ("green", "A strategy is adopted.")
    client.post(f"{WEB}proposals/{second.pk}/dismiss/", {"version": 1})
    second.refresh_from_db()
    assert second.status == "dismissed"
    assert not QuestionRating.objects.filter(assessment=demo, question=second.question).exists()
    dismissed = client.get(WEB + "?status=dismissed").content.decode()
    assert (
        f"{second.question.key}</a>" in dismissed and f"{first.question.key}</a>" not in dismissed
    )


def test_a_stale_decision_is_said_and_changes_nothing(demo: Assessment, assessor: User) -> None:
    client = client_for(assessor)
    client.post(WEB + "import/", {"file": upload(odk_csv(demo), "odk.csv")})
    first = ProposedRating.objects.filter(assessment=demo).order_by("id").first()
    assert first is not None
    client.post(f"{WEB}proposals/{first.pk}/dismiss/", {"version": 1})
    response = client.post(f"{WEB}proposals/{first.pk}/accept/", {"version": 1}, follow=True)
    assert "This proposed rating was changed" in response.content.decode()
    assert not QuestionRating.objects.filter(assessment=demo, question=first.question).exists()


def test_a_counterpart_sees_the_proposals_but_no_form_or_button(
    demo: Assessment, lead: User, counterpart: User
) -> None:
    client_for(lead).post(WEB + "import/", {"file": upload(odk_csv(demo), "odk.csv")})
    page = client_for(counterpart).get(WEB).content.decode()
    assert "Proposed ratings" in page and "A strategy is adopted." in page
    assert "/submissions/import/" not in page and "/accept/" not in page
    assert client_for(counterpart).post(WEB + "import/", {}).status_code == 403


def test_an_unknown_status_is_refused_naming_the_parameter(assessor: User) -> None:
    response = client_for(assessor).get(WEB + "?status=maybe")
    assert response.status_code == 422
    assert "status" in response.content.decode()


# --- the API ------------------------------------------------------------------------


def test_the_api_imports_lists_and_decides(demo: Assessment, assessor: User) -> None:
    client = client_for(assessor)
    response = client.post(API, {"file": upload(odk_csv(demo), "odk.csv")})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["submissions_read"], body["submissions_added"], body["skipped"]) == (3, 3, 0)
    assert (body["evidence_added"], body["proposals_added"], body["tool"]) == (3, 2, "odk")
    again = client.post(API, {"file": upload(odk_csv(demo), "odk.csv")}).json()
    assert (again["submissions_added"], again["skipped"]) == (0, 3)
    assert client.get(API + "/imports").json()["count"] == 2
    proposals = client.get(API + "/proposals?status=proposed").json()["results"]
    q1, _q2, q3 = unrated(demo, 3)
    assert [(p["question"], p["level"]) for p in proposals] == [(q1.key, "green"), (q3.key, "red")]
    first = proposals[0]
    assert first["organisation"] == "MIC" and len(first["evidence"]) == 1
    accepted = client.post(
        f"{API}/proposals/{first['id']}/accept", {"version": 1}, content_type="application/json"
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    rating = QuestionRating.objects.get(assessment=demo, question=q1)
    assert [e.pk for e in rating.cited_evidence.all()] == first["evidence"]
    stale = client.post(
        f"{API}/proposals/{proposals[1]['id']}/dismiss",
        {"version": 7},
        content_type="application/json",
    )
    assert stale.status_code == 409


def test_the_api_refuses_a_bad_export_with_422_naming_the_field(
    demo: Assessment, assessor: User
) -> None:
    data = odk_csv(demo).replace(b"dgra 2018", b"dgra 2017", 1)
    response = client_for(assessor).post(API, {"file": upload(data, "odk.csv")})
    assert response.status_code == 422
    assert (
        "odk.csv: line 2, framework: 'dgra 2017' is not a framework" in (response.json()["message"])
    )
    assert not Submission.objects.exists()


def test_an_outsider_sees_no_submissions(outsider: User, anonymous_client: Client) -> None:
    assert client_for(outsider).get(API + "/proposals").status_code == 404
    assert anonymous_client.get(API + "/proposals").status_code == 401
