"""Helpers for report tests: a small assessment (DGRA dimension 1 of the demo)
and readers that open each format with real tools: poppler for PDF,
python-docx and LibreOffice for DOCX, openpyxl for XLSX."""

import copy
import io
import subprocess
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.management import call_command
from django_tasks_db.management.commands import db_worker
from openpyxl import load_workbook

from readiness.assessments.documents import import_assessment
from readiness.assessments.models import Assessment
from readiness.demo.services import demo_document


def small_document(slug: str) -> dict[str, Any]:
    document = copy.deepcopy(demo_document())
    document["assessment"]["slug"] = slug
    document["frameworks"] = document["frameworks"][:1]
    document["frameworks"][0]["dimensions"] = document["frameworks"][0]["dimensions"][:1]
    return document


def small_assessment(slug: str, document: dict[str, Any] | None = None) -> Assessment:
    return import_assessment(None, document or small_document(slug))


def run(*command: str | Path, data: bytes | None = None) -> str:
    return subprocess.run(
        [str(part) for part in command], input=data, capture_output=True, check=True, timeout=300
    ).stdout.decode()


def pdf_text(pdf: bytes, *options: str) -> str:
    return run("pdftotext", *options, "-", "-", data=pdf)


def docx_paragraphs(data: bytes) -> list[Any]:
    return list(docx.Document(io.BytesIO(data)).paragraphs)


def workbook(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data))


def libreoffice_pdf(data: bytes, folder: Path) -> bytes:
    """Convert a DOCX with LibreOffice headless, as a team's word processor would open it."""
    source = folder / "report.docx"
    source.write_bytes(data)
    run(
        "soffice",
        f"-env:UserInstallation=file://{folder}/profile",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        folder,
        source,
    )
    return (folder / "report.pdf").read_bytes()


def run_worker() -> None:
    """What `manage.py db_worker` does in production, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.fixture
def worker(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The real worker, run in the test's own transaction. Between tasks it
    closes database connections, as a long-running process should; on
    PostgreSQL that would end the test's transaction, so here it keeps it."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return run_worker
