"""Offline collection through the REST API: under a framework, its XLSForm;
under an assessment, the submissions imported from KoboToolbox and ODK
Central and the ratings they propose."""

import datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Path, Query, Router, Schema, UploadedFile

from readiness.assessments.permissions import Action
from readiness.assessments.services.assessments import get_assessment
from readiness.core.api_errors import ACTION_ERRORS, READ_ERRORS, UPLOAD_ERRORS
from readiness.core.api_pages import page_out, page_schema
from readiness.core.filtering import PageQuery
from readiness.core.responses import attachment
from readiness.core.text import KeyText, SlugText
from readiness.fieldwork import xlsform
from readiness.fieldwork.filters import ProposalFilters
from readiness.fieldwork.models import ProposedRating, SubmissionImport
from readiness.fieldwork.services import submissions as services
from readiness.frameworks.api import Version as FrameworkVersion
from readiness.frameworks.services import get_framework

router = Router(tags=["field collection"])
framework_router = Router(tags=["field collection"])


@framework_router.get(
    "/{key}/{version}/xlsform", response={200: None, **READ_ERRORS}, summary="The XLSForm"
)
def framework_xlsform(
    request: HttpRequest, key: KeyText, version: FrameworkVersion
) -> HttpResponse:
    """The framework as an XLSForm for KoboToolbox or ODK Central: a group per
    dimension, the scale as choices, labels in English and Vietnamese."""
    framework = get_framework(key, version)
    return attachment(
        xlsform.build_xlsform(framework), xlsform.CONTENT_TYPE, xlsform.xlsform_filename(framework)
    )


# --- Submissions --------------------------------------------------------------------

SUBMISSIONS = "/{slug}/submissions"
ProposalId = Annotated[int, Path(ge=1, le=2**53)]
Version = Annotated[int, Field(ge=1, le=2**53, description="The version you based the change on.")]


class ImportOut(Schema):
    id: int
    source_name: str
    tool: str
    submissions_read: int
    submissions_added: int
    evidence_added: int
    proposals_added: int
    imported_by: str | None
    imported_at: datetime.datetime


class ImportOutcomeOut(ImportOut):
    skipped: int = Field(description="Submissions imported before: nothing added twice.")
    warnings: list[str]


class ProposalOut(Schema):
    id: int
    framework: str
    question: str
    level: str
    rationale: str
    evidence: list[int]
    submission: str
    organisation: str
    status: str
    version: int


class AcceptIn(Schema):
    version: Version
    replace_rating_version: Annotated[int, Field(ge=1, le=2**53)] | None = Field(
        None,
        description="To replace the question's rating: the version of it you saw. "
        "Without it a rated question keeps its rating and the accept is refused.",
    )


class DismissIn(Schema):
    version: Version


def import_out(row: SubmissionImport) -> dict[str, Any]:
    return {
        **{
            name: getattr(row, name)
            for name in (
                "id",
                "source_name",
                "tool",
                "submissions_read",
                "submissions_added",
                "evidence_added",
                "proposals_added",
            )
        },
        "imported_by": row.created_by.get_username() if row.created_by else None,
        "imported_at": row.created_at,
    }


def proposal_out(proposal: ProposedRating) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "framework": proposal.question.framework.key,
        "question": proposal.question.key,
        "level": proposal.level.code,
        "rationale": proposal.rationale,
        "evidence": sorted(e.pk for e in proposal.evidence.all()),
        "submission": proposal.submission.instance_id,
        "organisation": proposal.submission.organisation,
        "status": proposal.status,
        "version": proposal.version,
    }


@router.post(
    SUBMISSIONS, response={200: ImportOutcomeOut, **UPLOAD_ERRORS}, summary="Import submissions"
)
def import_submissions(
    request: HttpRequest, slug: SlugText, file: File[UploadedFile]
) -> dict[str, Any]:
    """A KoboToolbox or ODK Central export (CSV, XLSX, JSON), all or nothing:
    errors name the row and field. Notes become evidence items, ratings become
    proposals; a submission imported before is skipped."""
    assessment = get_assessment(request.user, slug, Action.EDIT)
    source = file.name or "upload"
    outcome = services.import_submissions(
        actor=request.user,
        assessment=assessment,
        data=services.read_upload(file, source),
        source=source,
    )
    return {
        **import_out(outcome.submission_import),
        "skipped": outcome.skipped,
        "warnings": outcome.warnings,
    }


@router.get(
    SUBMISSIONS + "/imports",
    response={200: page_schema(ImportOut), **READ_ERRORS},
    summary="Submission imports",
)
def list_imports(request: HttpRequest, slug: SlugText, page: Query[PageQuery]) -> dict[str, Any]:
    """The imports of submissions, newest first."""
    assessment = get_assessment(request.user, slug)
    return page_out(
        request,
        services.import_page(assessment, cursor=page.cursor, limit=page.limit),
        import_out,
    )


@router.get(
    SUBMISSIONS + "/proposals",
    response={200: page_schema(ProposalOut), **READ_ERRORS},
    summary="Proposed ratings",
)
def list_proposals(
    request: HttpRequest,
    slug: SlugText,
    filters: Query[ProposalFilters],
    page: Query[PageQuery],
) -> dict[str, Any]:
    """The ratings the submissions propose, in the framework's order."""
    assessment = get_assessment(request.user, slug)
    proposals = services.proposal_page(
        assessment, status=filters.status, cursor=page.cursor, limit=page.limit
    )
    return page_out(request, proposals, proposal_out)


@router.post(
    SUBMISSIONS + "/proposals/{proposal_id}/accept",
    response={200: ProposalOut, **ACTION_ERRORS},
    summary="Accept a proposed rating",
)
def accept_proposal(
    request: HttpRequest, slug: SlugText, proposal_id: ProposalId, payload: AcceptIn
) -> dict[str, Any]:
    """Record the proposed rating, with its evidence cited. A rated question is
    changed only when `replace_rating_version` names the rating's version."""
    proposal = services.accept_proposal(
        actor=request.user,
        assessment=get_assessment(request.user, slug, Action.EDIT),
        proposal_id=proposal_id,
        expected_version=payload.version,
        replace_rating_version=payload.replace_rating_version,
    )
    return proposal_out(proposal)


@router.post(
    SUBMISSIONS + "/proposals/{proposal_id}/dismiss",
    response={200: ProposalOut, **ACTION_ERRORS},
    summary="Dismiss a proposed rating",
)
def dismiss_proposal(
    request: HttpRequest, slug: SlugText, proposal_id: ProposalId, payload: DismissIn
) -> dict[str, Any]:
    proposal = services.dismiss_proposal(
        actor=request.user,
        assessment=get_assessment(request.user, slug, Action.EDIT),
        proposal_id=proposal_id,
        expected_version=payload.version,
    )
    return proposal_out(proposal)
