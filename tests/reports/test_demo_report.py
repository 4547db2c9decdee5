"""The demo assessment (Vietnam 2019) rendered in all four formats and both
languages, each file opened with a real reader."""

import re
from html import unescape
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from babel.messages.pofile import read_po
from PIL import Image

from readiness.assessments.models import Assessment
from readiness.core.bilingual import pick
from readiness.frameworks.models import Dimension, Framework, Question
from readiness.reports import services
from readiness.reports.formats import FORMAT_NAMES
from tests.reports.conftest import docx_paragraphs, libreoffice_pdf, pdf_text, run, workbook

pytestmark = [pytest.mark.django_db, pytest.mark.rendering]
PO_FILE = Path(__file__).resolve().parents[2] / "readiness/locale/vi/LC_MESSAGES/django.po"


@pytest.fixture(scope="module")
def files(django_db_setup, django_db_blocker) -> dict[tuple[str, str], bytes]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        demo = Assessment.objects.get(slug="vietnam-2019")
        return {
            (fmt, lang): services.render(None, demo, fmt, lang)[1]
            for fmt in FORMAT_NAMES
            for lang in ("en", "vi")
        }


@pytest.fixture
def counts(demo: Assessment) -> dict[str, int]:
    frameworks = list(demo.frameworks.all())
    return {
        "questions": Question.objects.filter(framework__in=frameworks).count(),
        "dimensions": Dimension.objects.filter(framework__in=frameworks).count(),
        "evidence": demo.evidence.count(),
        "actions": demo.actions.count(),
    }


def test_the_pdf_has_the_reports_structure_ratings_and_page_numbers(files: Any) -> None:
    text = pdf_text(files[("pdf", "en")], "-layout")
    for heading in [
        "Table of contents",
        "1. Introduction",
        "2. Digital Government Readiness Assessment (DGRA)",
        "Executive summary",
        "DGRA readiness assessment results",
        "Methodology",
        "2.1 Leadership and Governance",
        "1.1 Does the Government have a shared vision for digital transformation?",
        "Assessment of Leadership and Governance",
        "OVERALL",
        "Conclusion",
        "Action plan",
        "Tabular view",
        "3. Open Data Readiness Assessment (ODRA)",
        "3.1 Senior Leadership",
    ]:
        assert heading in text, heading
    # Ratings are printed by name; ODRA shows importance beside the level.
    assert "Yellow/Green" in text and "Yellow/Red" in text
    assert "Very High" in text
    # The overall verdict that differs from the suggestion says why.
    assert "Overall rating differs from the suggestion." in text
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", "-", data=files[("pdf", "en")]))[1])
    assert pages > 40
    assert f"5 / {pages}" in text  # page numbers in the footer


def test_the_pdf_has_bookmarks_and_embedded_fonts(
    files: Any, demo: Assessment, tmp_path: Path
) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(files[("pdf", "vi")])
    outline = ElementTree.fromstring(run("pdftohtml", "-xml", "-i", "-q", "-stdout", pdf))
    top = outline.find("outline")
    assert top is not None
    chapters = [item.text for item in top.findall("item")]
    dgra, odra = (Framework.objects.get(key=key) for key in ("dgra", "odra"))
    assert chapters == [
        "1. Giới thiệu",
        f"2. {pick(dgra.title, 'vi')}",
        f"3. {pick(odra.title, 'vi')}",
    ]
    # The bookmarks under chapter 2 (the <outline> after its <item>) name every DGRA
    # dimension with its overall rating (the demo has a verdict on each).
    verdicts = {v.dimension_id: v.level for v in demo.verdicts.select_related("level")}
    children = list(top)
    chapter_2 = children[children.index(top.findall("item")[1]) + 1]
    sections = [i.text for i in chapter_2.findall("item") if re.match(r"^2\.\d+ ", i.text or "")]
    assert sections == [
        f"2.{number} {pick(d.title, 'vi')} {pick(verdicts[d.pk].label, 'vi')}"
        for number, d in enumerate(dgra.dimensions.all(), 1)
    ]
    fonts = run("pdffonts", pdf).splitlines()[2:]
    assert fonts, "no fonts"
    assert all(re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$", line) for line in fonts), fonts
    assert any("Noto-Sans" in line for line in fonts)


def test_the_vietnamese_pdf_keeps_its_diacritics(files: Any) -> None:
    text = pdf_text(files[("pdf", "vi")])
    # Framework texts and report headings, extracted back from the embedded fonts.
    assert "Lãnh đạo và quản trị" in text
    assert "Mục lục" in text
    assert "TỔNG THỂ" in text
    assert "Việt Nam" in text


def test_a_pdf_page_renders_with_the_rating_colours(files: Any, tmp_path: Path) -> None:
    text_pages = pdf_text(files[("pdf", "en")]).split("\f")
    page = next(i for i, t in enumerate(text_pages, 1) if "DGRA readiness assessment results" in t)
    (tmp_path / "report.pdf").write_bytes(files[("pdf", "en")])
    run(
        "pdftoppm",
        "-r",
        "40",
        "-png",
        "-f",
        page,
        "-l",
        page,
        tmp_path / "report.pdf",
        tmp_path / "page",
    )
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")
    colours = {colour for _count, colour in image.getcolors(maxcolors=1_000_000)}
    assert (255, 215, 0) in colours  # Yellow, #ffd700, from the framework's scale
    inked = sum(count for count, colour in image.getcolors(1_000_000) if colour != (255, 255, 255))
    assert inked > image.width * image.height * 0.05


def test_the_docx_uses_word_headings_and_opens_in_libreoffice(
    files: Any, counts: dict[str, int], demo: Assessment, tmp_path: Path
) -> None:
    paragraphs = docx_paragraphs(files[("docx", "en")])
    styles = {p.style.name for p in paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"} <= styles
    chapters = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert chapters[:3] == [
        "1. Introduction",
        "2. Digital Government Readiness Assessment (DGRA)",
        "3. Open Data Readiness Assessment (ODRA)",
    ]
    questions = [
        p.text
        for p in paragraphs
        if p.style.name == "Heading 3" and re.match(r"^\d+\.\d+ ", p.text)
    ]
    plan_dimensions = sum(1 for p in paragraphs if p.style.name == "Heading 4")
    # Each question once with its rating, framework by framework in the order of the
    # framework file; the demo rates every question.
    assert len(questions) == counts["questions"] == 66 + 43
    ratings = {r.question_id: r.level for r in demo.ratings.select_related("level")}
    expected = [
        f"{q.key} {pick(q.text, 'en')} {pick(ratings[q.pk].label, 'en')}"
        for key in ("dgra", "odra")
        for q in Question.objects.filter(framework__key=key).order_by("order")
    ]
    assert questions == expected
    assert plan_dimensions > 0
    evidence = [p for p in paragraphs if re.match(r"^[+\-o]\t", p.text)]
    assert len(evidence) == counts["evidence"] + 2 * 3  # and the two methodology sign lists
    xml = files[("docx", "en")]
    assert b"word/document.xml" in xml
    converted = pdf_text(libreoffice_pdf(files[("docx", "en")], tmp_path))
    assert "2.1 Leadership and Governance" in converted
    assert "Assessment of Leadership and Governance" in converted


def test_the_vietnamese_docx_is_in_vietnamese(files: Any) -> None:
    paragraphs = docx_paragraphs(files[("docx", "vi")])
    text = "\n".join(p.text for p in paragraphs)
    assert "Mục lục" in text and "Lãnh đạo và quản trị" in text
    assert "Table of contents" not in text


def test_the_xlsx_data_annex_has_a_row_per_item(files: Any, counts: dict[str, int]) -> None:
    book = workbook(files[("xlsx", "en")])
    assert book.sheetnames == ["Questions", "Evidence", "Verdicts", "Actions"]
    assert book["Questions"].max_row - 1 == counts["questions"]
    assert book["Evidence"].max_row - 1 == counts["evidence"]
    assert book["Verdicts"].max_row - 1 == counts["dimensions"]
    assert book["Actions"].max_row - 1 == counts["actions"]
    header = [c.value for c in book["Questions"][1]]
    assert header[:3] == ["Framework", "Dimension", "Question"]
    vietnamese = workbook(files[("xlsx", "vi")])
    assert vietnamese.sheetnames == ["Câu hỏi", "Bằng chứng", "Kết luận", "Hành động"]
    assert vietnamese["Bằng chứng"].max_row == book["Evidence"].max_row


def test_the_html_report_is_one_printable_page(files: Any) -> None:
    page = files[("html", "vi")].decode()
    assert page.startswith("<!doctype html>")
    assert '<html lang="vi">' in page
    assert "@media" in page or "@page" in page
    assert 'src="data:image/svg+xml;base64,' in page  # charts inline: one file
    assert 'id="dgra-1"' in page and 'href="#dgra-1"' in page


def test_a_vietnamese_report_has_no_english_interface_text(demo: Assessment) -> None:
    """Every report label from the catalogue appears in its Vietnamese form
    only. User content (evidence, commentary, action texts, which the team
    writes in one language) is blanked so that only interface text remains."""
    from readiness.reports import content
    from readiness.reports.formats import html

    source = services.report_source(demo, None)
    for framework in source.document["frameworks"]:
        for dimension in framework["dimensions"]:
            if dimension.get("verdict"):
                dimension["verdict"].update(commentary="", override_reason="x")
            for question in dimension["questions"]:
                for item in question["evidence"]:
                    item["text"] = "x"
                if question.get("rating"):
                    question["rating"]["rationale"] = ""
    for plan in source.plans:
        for action in plan["actions"]:
            action.update(title="x", description="", months="", cost_text="", note="")
    source.document["assessment"].update(title="x", description="")
    page = unescape(re.sub(r"<[^>]+>", " ", html.page(content.compose(source, "vi"))))
    page = re.sub(r"data:image/svg\+xml;base64,\S+", "", page)
    for framework in demo.frameworks.all():
        # The Vietnamese citation names the original report by its English title.
        page = page.replace(pick(framework.source_citation, "vi"), "")
    with PO_FILE.open("rb") as po:
        catalogue = read_po(po)
    checked = 0
    for message in catalogue:
        used_here = any(
            "reports/content" in path or "reports/document.html" in path
            for path, _line in message.locations
        )
        if not used_here:
            continue
        forms = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and strings[0] != forms[0], f"untranslated: {message.id}"
        for fragment in (f for form in forms for f in re.split(r"%\(\w+\)s|%s", form)):
            fragment = fragment.strip(" :.,()")
            if len(fragment) >= 6:
                checked += 1
                assert fragment not in page, fragment
    assert checked > 40
