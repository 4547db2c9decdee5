"""The PDF reports are tagged (PDF/UA-1): a structure tree a screen reader
follows, the document marked as tagged, its language and title declared."""

import io

import pytest
from pypdf import PdfReader

from readiness.assessments.models import Assessment
from readiness.reports import services

pytestmark = [pytest.mark.django_db, pytest.mark.rendering]


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_pdf_report_is_tagged_in_each_language(demo: Assessment, language: str) -> None:
    _name, pdf = services.render(None, demo, "pdf", language)
    catalog = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert str(catalog["/Lang"]).startswith(language)
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
