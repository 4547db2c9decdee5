"""`readiness backup` then `readiness restore` into an empty installation
gives the same assessments, history, plans, reports and accounts: every row
of every table compared before and after, on SQLite and on PostgreSQL (the
archive is made and read through the ORM, inside the test's transaction)."""

from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User

from readiness.accounts.services import create_token, user_for_token
from readiness.actionplans.models import Action
from readiness.assessments import services
from readiness.assessments.documents import export_assessment
from readiness.assessments.models import Assessment
from readiness.core.errors import WrongState
from readiness.core.models import ChangeRecord
from readiness.frameworks.models import Question
from readiness.operations.archives import restore_backup, write_backup
from readiness.reports.models import Report
from tests.conftest import PASSWORD
from tests.operations.installation import empty_installation, everything, without_content

# Not valid UTF-8 and with every byte value: a stored file must come back byte for byte.
REPORT_BYTES = b"%PDF-1.7\n" + bytes(range(256)) * 40


@pytest.fixture
def worked_on(demo: Assessment, lead: User) -> Assessment:
    """The demo with a little more than it ships with: new evidence (history),
    a rendered report file and an API token."""
    question = Question.objects.filter(framework__in=demo.frameworks.all()).earliest("id")
    services.add_evidence(
        actor=lead,
        assessment=demo,
        question=question,
        sign="+",
        text="Ghi chú của nhóm — typed before the backup",
        source_kind="interview",
    )
    Report.objects.create(
        assessment=demo,
        format="pdf",
        language="vi",
        status=Report.Status.DONE,
        progress=100,
        content=REPORT_BYTES,
        file_name="vietnam-2019-vi.pdf",
        requested_by=lead,
    )
    return demo


@pytest.mark.django_db
def test_restore_into_an_empty_installation_gives_every_row_back(
    worked_on: Assessment, lead: User, tmp_path: Path
) -> None:
    _token, secret = create_token(lead, "before the backup")
    before = everything()
    document = export_assessment(worked_on)
    # The comparison covers what assessors care about, not empty tables.
    assert ChangeRecord.objects.filter(assessment=worked_on).count() > 0
    assert Action.objects.filter(assessment=worked_on).count() > 0
    archive = tmp_path / "readiness.zip"

    write_backup(archive)
    empty_installation()
    assert not Assessment.objects.exists() and not User.objects.exists()
    restore_backup(archive)

    assert everything() == before
    restored = Assessment.objects.get(slug="vietnam-2019")
    assert export_assessment(restored) == document
    content = Report.objects.get(file_name="vietnam-2019-vi.pdf").content
    assert content is not None and bytes(content) == REPORT_BYTES
    assert authenticate(username="lead", password=PASSWORD) == lead
    assert user_for_token(secret) == lead


@pytest.mark.django_db
def test_new_rows_after_a_restore_get_new_ids(worked_on: Assessment, tmp_path: Path) -> None:
    """Sequences continue after the restored rows (PostgreSQL keeps them apart)."""
    archive = tmp_path / "readiness.zip"
    write_backup(archive)
    highest = User.objects.latest("pk").pk
    without_content()
    restore_backup(archive)
    assert User.objects.create_user("after-restore").pk > highest


@pytest.mark.django_db
def test_restore_into_an_installation_with_content_is_refused(
    worked_on: Assessment, tmp_path: Path
) -> None:
    archive = tmp_path / "readiness.zip"
    write_backup(archive)
    before = everything()
    with pytest.raises(WrongState, match="not empty"):
        restore_backup(archive)
    assert everything() == before


@pytest.mark.django_db
def test_a_backup_leaves_no_partial_file_when_it_fails(tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "readiness.zip"
    with pytest.raises(OSError):
        write_backup(target)
    assert not target.parent.exists()
