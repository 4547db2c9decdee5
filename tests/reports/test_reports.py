"""Report jobs through the web, the API and the CLI; hostile text in every
format; reproducible reports of a published version."""

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client

from readiness.assessments import services as assessment_services
from readiness.assessments.models import Assessment
from readiness.assessments.permissions import State
from readiness.frameworks.models import Framework
from readiness.reports import services, tasks
from readiness.reports.models import Report
from readiness.reviews import services as reviews
from tests.conftest import client_for
from tests.reports.conftest import (
    docx_paragraphs,
    pdf_text,
    small_assessment,
    small_document,
    workbook,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script><b>bold?</b>"
LONG_WORD = "Supercalifragilistic" * 12  # 240 letters, no break opportunity
RIGHT_TO_LEFT = "\u202eright-to-left override\u202c and \u200fmark"
FORMULA = '=HYPERLINK("http://evil.example","click")'
BELL = "bell\x07here"


def hostile_assessment() -> Assessment:
    document = small_document("hostile")
    question = document["frameworks"][0]["dimensions"][0]["questions"][0]
    question["evidence"] = [
        {"sign": "+", "text": text, "source_kind": "document"}
        for text in (SCRIPT, LONG_WORD, RIGHT_TO_LEFT, FORMULA, "placeholder")
    ]
    question["rating"] = {"level": "yellow", "rationale": SCRIPT, "cites": [0]}
    document["frameworks"][0]["dimensions"][0]["verdict"]["commentary"] = LONG_WORD
    assessment = small_assessment("hostile", document)
    # No door accepts a control character any more; text stored before the
    # rule may still hold one, and every format must survive it.
    assessment.evidence.filter(text="placeholder").update(text=BELL)
    return assessment


def test_hostile_text_is_text_in_every_format(tmp_path: Path) -> None:
    assessment = hostile_assessment()
    files = {fmt: services.render(None, assessment, fmt, "en")[1] for fmt in services.FORMAT_NAMES}

    page = files["html"].decode()
    assert "<script>alert" not in page and "<b>bold?</b>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;b&gt;bold?&lt;/b&gt;" in page
    assert "\u202eright-to-left override\u202c" in page

    text = pdf_text(files["pdf"])
    assert "<script>alert('x')</script><b>bold?</b>" in text
    assert LONG_WORD in re.sub(r"\s", "", text)  # wrapped inside the page, not cut off
    assert "right-to-left override" in text or "edirrevo tfel-ot-thgir" in text
    assert FORMULA in text

    paragraphs = [p.text for p in docx_paragraphs(files["docx"])]
    assert f"+\t{SCRIPT}" in paragraphs
    assert f"+\t{LONG_WORD}" in paragraphs
    assert f"+\t{RIGHT_TO_LEFT}" in paragraphs
    assert "+\tbellhere" in paragraphs  # XML cannot hold the control character

    evidence = workbook(files["xlsx"])["Evidence"]
    cells = {row[4].value: row[4] for row in evidence.iter_rows(min_row=2)}
    assert SCRIPT in cells and LONG_WORD in cells and RIGHT_TO_LEFT in cells
    assert cells[FORMULA].data_type == "s"  # stays text: no formula runs in Excel
    assert "bellhere" in cells


def publish_with_gaps(assessment: Assessment) -> Assessment:
    """The small assessment rates a few questions only: it is published with gaps."""
    for step in (State.IN_REVIEW, State.APPROVED):
        assessment = reviews.move_to(actor=None, assessment=assessment, target=step)
    return reviews.move_to(
        actor=None, assessment=assessment, target=State.PUBLISHED, gaps_reason="A sample only."
    )


def test_a_published_versions_report_is_the_same_every_time(lead: User) -> None:
    assessment = small_assessment("to-publish")
    assessment = publish_with_gaps(assessment)
    first = {fmt: services.render(None, assessment, fmt, "vi")[1] for fmt in ("html", "pdf")}

    # The next version's draft changes, the published version's report does not.
    assessment = reviews.move_to(actor=None, assessment=assessment, target=State.DRAFT)
    assessment_services.add_evidence(
        actor=None,
        assessment=assessment,
        question=Framework.objects.get(key="dgra").questions.get(key="1.1"),
        sign="-",
        text="Found after publication",
        source_kind="interview",
    )
    name, again = services.render(None, assessment, "html", "vi", publication_number=1)
    assert name == "to-publish-v1-vi.html"
    assert again == first["html"]
    assert services.render(None, assessment, "pdf", "vi", publication_number=1)[1] == first["pdf"]
    draft_name, draft = services.render(None, assessment, "html", "vi")
    assert draft_name == "to-publish-draft-vi.html"
    assert b"Found after publication" in draft and b"Found after publication" not in again


def test_docx_and_xlsx_of_a_publication_have_the_same_content_twice() -> None:
    assessment = small_assessment("published-twice")
    assessment = publish_with_gaps(assessment)

    def parts(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    for fmt in ("docx", "xlsx"):
        assert parts(services.render(None, assessment, fmt, "en")[1]) == parts(
            services.render(None, assessment, fmt, "en")[1]
        )


def test_the_web_queues_a_report_shows_progress_and_offers_the_file(
    demo: Assessment, assessor: User, worker: Callable[[], None]
) -> None:
    client = client_for(assessor)
    page = client.get(f"/assessments/{demo.slug}/reports/")
    assert page.status_code == 200
    assert b'name="format"' in page.content and b'name="language"' in page.content

    queued = client.post(
        f"/assessments/{demo.slug}/reports/",
        {"format": "xlsx", "language": "vi"},
        headers={"HX-Request": "true"},
    )
    assert queued.status_code == 200
    assert b'hx-trigger="every 1s"' in queued.content  # the list polls while a job runs
    assert b"<progress" in queued.content
    report = demo.reports.get()
    assert report.status == Report.Status.QUEUED and report.requested_by == assessor

    worker()

    jobs = client.get(f"/assessments/{demo.slug}/reports/jobs/")
    assert b"every 1s" not in jobs.content
    link = f"/assessments/{demo.slug}/reports/{report.pk}/download/"
    assert link.encode() in jobs.content
    download = client.get(link)
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="vietnam-2019-draft-vi.xlsx"'
    assert workbook(download.content).sheetnames[0] == "Câu hỏi"


def test_the_web_refuses_an_unknown_format_and_queues_nothing(
    demo: Assessment, assessor: User
) -> None:
    response = client_for(assessor).post(
        f"/assessments/{demo.slug}/reports/", {"format": "odt", "language": "en"}
    )
    assert response.status_code == 422
    assert b"format: must be one of: html, pdf, docx, xlsx" in response.content
    assert not demo.reports.exists()


def test_the_preview_is_the_report_in_the_browsers_language_of_choice(
    demo: Assessment, counterpart: User
) -> None:
    response = client_for(counterpart).get(f"/assessments/{demo.slug}/report/?lang=vi")
    assert response.status_code == 200
    assert b'<html lang="vi">' in response.content
    assert "Mục lục".encode() in response.content


def test_the_api_queues_reports_and_serves_the_file(
    demo: Assessment, lead: User, worker: Callable[[], None]
) -> None:
    client = client_for(lead)
    base = f"/api/v1/assessments/{demo.slug}/reports"
    created = client.post(
        base, json.dumps({"format": "html", "language": "en"}), content_type="application/json"
    )
    assert created.status_code == 202
    body = created.json()
    assert body["status"] == "queued" and body["progress"] == 0 and body["publication"] is None
    assert client.get(f"{base}/{body['id']}/file").status_code == 404  # not ready yet

    worker()

    status = client.get(f"{base}/{body['id']}").json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["finished_at"] is not None
    file = client.get(f"{base}/{body['id']}/file")
    assert file.status_code == 200
    assert file["Content-Type"] == "text/html; charset=utf-8"
    assert b"Assessment of Leadership and Governance" in file.content
    assert [r["id"] for r in client.get(base).json()["results"]] == [body["id"]]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"format": "odt", "language": "en"}, "format"),
        ({"format": "pdf", "language": "fr"}, "language"),
        ({"format": "pdf", "language": "en", "publication": 0}, "publication"),
    ],
)
def test_the_api_names_the_bad_field_and_queues_nothing(
    demo: Assessment, lead: User, payload: dict, field: str
) -> None:
    response = client_for(lead).post(
        f"/api/v1/assessments/{demo.slug}/reports",
        json.dumps(payload),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert field in json.dumps(response.json())
    assert not demo.reports.exists()


def test_the_api_says_when_a_published_version_does_not_exist(demo: Assessment, lead: User) -> None:
    response = client_for(lead).post(
        f"/api/v1/assessments/{demo.slug}/reports",
        json.dumps({"format": "pdf", "language": "en", "publication": 7}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json() == {"message": "no published version 7", "errors": []}


def test_the_cli_renders_synchronously(demo: Assessment, tmp_path: Path) -> None:
    output = tmp_path / "annex.xlsx"
    out = io.StringIO()
    call_command("report", demo.slug, "--format", "xlsx", "--lang", "vi", "-o", output, stdout=out)
    assert f"đã ghi {output} (" in out.getvalue()  # --lang is the messages' language too
    assert workbook(output.read_bytes())["Bằng chứng"].max_row - 1 == demo.evidence.count()


def test_the_cli_acts_with_the_users_role(outsider: User, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no assessment named vietnam-2019"):
        call_command("report", "vietnam-2019", "--as", "outsider", "-o", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_the_cli_refuses_a_missing_publication(demo: Assessment, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no published version 3"):
        call_command("report", demo.slug, "--publication", "3", "-o", tmp_path / "x.pdf")


def test_a_failed_job_says_why_on_the_report(demo: Assessment) -> None:
    report = Report.objects.create(assessment=demo, format="pdf", language="en")
    Report.objects.filter(pk=report.pk).update(format="odt")  # as if a format was withdrawn
    services.run_report(report.pk)
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.error == "'odt'"
    assert report.content is None


def test_an_outsider_cannot_see_or_fetch_reports(demo: Assessment, outsider: User) -> None:
    report = Report.objects.create(
        assessment=demo, format="html", language="en", status="done", content=b"secret"
    )
    client = client_for(outsider)
    assert client.get(f"/assessments/{demo.slug}/reports/{report.pk}/download/").status_code == 404
    assert (
        client.get(f"/api/v1/assessments/{demo.slug}/reports/{report.pk}/file").status_code == 404
    )
    assert Client().get(f"/api/v1/assessments/{demo.slug}/reports").status_code == 401


def test_the_public_gets_the_published_versions_files_only(worker: Callable[[], None]) -> None:
    assessment = small_assessment("public-files")
    assessment = publish_with_gaps(assessment)
    older = tasks.request_report(None, assessment, "xlsx", "vi")
    newer = tasks.request_report(None, assessment, "xlsx", "vi")
    worker()
    assessment = reviews.move_to(actor=None, assessment=assessment, target=State.DRAFT)
    draft = tasks.request_report(None, assessment, "html", "en")
    worker()
    assert older.publication_id == newer.publication_id is not None and draft.publication is None

    anonymous = Client()
    page = anonymous.get("/published/public-files/")
    link = f"/published/public-files/reports/{newer.pk}/"
    assert link.encode() in page.content
    assert f"/published/public-files/reports/{older.pk}/".encode() not in page.content
    download = anonymous.get(link)
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="public-files-v1-vi.xlsx"'
    assert anonymous.get(f"/published/public-files/reports/{draft.pk}/").status_code == 404

    listed = anonymous.get("/api/v1/published/public-files/reports").json()["results"]
    assert [(r["id"], r["publication"]) for r in listed] == [(newer.pk, 1)]
    api_file = anonymous.get(f"/api/v1/published/public-files/reports/{draft.pk}/file")
    assert api_file.status_code == 404
