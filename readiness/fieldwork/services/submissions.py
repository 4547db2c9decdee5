"""Submissions imported from KoboToolbox and ODK Central exports: each adds
evidence items from its notes and ratings it proposes; an assessor accepts a
proposal (never replacing a rating unknowingly) or dismisses it."""

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from readiness.assessments.access import require_editable
from readiness.assessments.models import Assessment, Evidence, IndependentRating, QuestionRating
from readiness.assessments.selectors import assessment_frameworks
from readiness.assessments.services.evidence import add_evidence
from readiness.assessments.services.ratings import rate_question
from readiness.core import spreadsheets, text
from readiness.core.errors import FieldError, InvalidInput, NotFound
from readiness.core.history import Actor, acting_user, check_version, record_change
from readiness.core.pagination import Ordering, Page, SortField, paginate
from readiness.fieldwork import xlsform
from readiness.fieldwork.models import ProposedRating, Submission, SubmissionImport, SurveyCitation
from readiness.fieldwork.submissions import (
    MAX_SUBMISSION_BYTES,
    SubmissionRecord,
    columns_for,
    read_submissions,
)
from readiness.frameworks.models import Framework, Question, RatingLevel


@dataclass
class ImportOutcome:
    submission_import: SubmissionImport
    read: int = 0
    added: int = 0
    skipped: int = 0  # imported before: same instance id in this assessment
    evidence_added: int = 0
    proposals_added: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Answer:
    question: Question
    level: RatingLevel | None
    rationale: str
    notes: str


@dataclass(frozen=True)
class CheckedSubmission:
    record: SubmissionRecord
    framework: Framework
    organisation: str
    collected_on: datetime.date | None
    answers: list[Answer]


@dataclass(frozen=True)
class FormFields:
    framework: Framework
    levels: dict[str, RatingLevel]
    questions: list[Question]


def form_fields(assessment: Assessment) -> dict[str, FormFields]:
    """The assessment's frameworks by the stamp their form writes."""
    result = {}
    for framework in assessment_frameworks(assessment):
        questions = list(
            Question.objects.filter(framework=framework)
            .select_related("dimension", "framework")
            .order_by("order", "id")
        )
        levels = {level.code: level for level in framework.levels.all()}
        result[xlsform.framework_stamp(framework).lower()] = FormFields(
            framework, levels, questions
        )
    return result


def value_of(values: dict[str, str], group: str, name: str) -> tuple[str, str]:
    """The first column holding the field, in either tool's naming, and its value."""
    for column in columns_for(group, name):
        if column in values:
            return column, values[column].strip()
    return name, ""


def checked_submission(
    record: SubmissionRecord, forms: dict[str, FormFields], errors: list[FieldError]
) -> CheckedSubmission | None:
    place, values = record.place, record.values
    stamp = " ".join(values.get(xlsform.FRAMEWORK_FIELD, "").split()).lower()
    form = forms.get(stamp)
    if form is None:
        errors.append(
            FieldError(
                f"{place}, {xlsform.FRAMEWORK_FIELD}",
                _("%(value)r is not a framework of this assessment (one of: %(stamps)s)")
                % {"value": values.get(xlsform.FRAMEWORK_FIELD, ""), "stamps": ", ".join(forms)},
            )
        )
        return None
    organisation = text.clean_text(
        values.get(xlsform.ORGANISATION_FIELD, ""),
        text.NAME,
        f"{place}, {xlsform.ORGANISATION_FIELD}",
        errors,
    )
    collected_on = None
    if day := values.get(xlsform.DATE_FIELD, "").strip():
        try:
            collected_on = datetime.date.fromisoformat(day[:10])
        except ValueError:
            errors.append(
                FieldError(f"{place}, {xlsform.DATE_FIELD}", _("not a date (YYYY-MM-DD)"))
            )
    answers = []
    for question in form.questions:
        group = xlsform.group_name(question.dimension.key)
        column, code = value_of(values, group, xlsform.rating_name(question.key))
        level = form.levels.get(code) if code else None
        if code and level is None:
            errors.append(
                FieldError(
                    f"{place}, {column}",
                    _("%(code)r is not one of: %(codes)s")
                    % {"code": code, "codes": ", ".join(form.levels)},
                )
            )
        rationale_column, rationale = value_of(values, group, xlsform.rationale_name(question.key))
        rationale = text.clean_text(rationale, text.LONG, f"{place}, {rationale_column}", errors)
        notes_column, notes = value_of(values, group, xlsform.evidence_name(question.key))
        notes = text.clean_text(notes, text.LONG, f"{place}, {notes_column}", errors)
        if level or notes:
            answers.append(Answer(question, level, rationale, notes))
    return CheckedSubmission(record, form.framework, organisation, collected_on, answers)


def reference_title(tool: str, checked: CheckedSubmission) -> str:
    title = _("%(tool)s submission %(id)s, form %(form)s") % {
        "tool": SubmissionImport.Tool(tool).label,
        "id": checked.record.instance_id,
        "form": xlsform.framework_stamp(checked.framework),
    }
    if checked.organisation:
        title = f"{title}, {checked.organisation}"
    return title[: text.NAME]


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def read_upload(stream: Readable, source: str) -> bytes:
    """An uploaded or named file's bytes, refused beyond the size an export may have."""
    data = stream.read(MAX_SUBMISSION_BYTES + 1)
    if len(data) > MAX_SUBMISSION_BYTES:
        raise InvalidInput.single(
            "", _("larger than %d MiB") % (MAX_SUBMISSION_BYTES // 2**20), source
        )
    return data


@transaction.atomic
def import_submissions(
    *, actor: Actor, assessment: Assessment, data: bytes, source: str
) -> ImportOutcome:
    """All or nothing: every submission is checked before anything is written;
    a submission imported before (same instance id) is skipped."""
    require_editable(actor, assessment)
    parsed = read_submissions(data, source)
    known = set(
        Submission.objects.filter(
            assessment=assessment, instance_id__in=[r.instance_id for r in parsed.records]
        ).values_list("instance_id", flat=True)
    )
    forms = form_fields(assessment)
    errors: list[FieldError] = []
    checked = []
    for record in parsed.records:
        if record.instance_id not in known:
            checked.append(checked_submission(record, forms, errors))
        if len(errors) >= spreadsheets.MAX_ERRORS:
            break  # a file full of mistakes is reported by its first ones
    if errors:
        raise InvalidInput(errors[: spreadsheets.MAX_ERRORS], source)
    submission_import = SubmissionImport.objects.create(
        assessment=assessment,
        source_name=source[: text.NAME],
        sha256=hashlib.sha256(data).hexdigest(),
        tool=parsed.tool,
        submissions_read=len(parsed.records),
        created_by=acting_user(actor),
    )
    outcome = ImportOutcome(submission_import, read=len(parsed.records), skipped=len(known))
    for item in checked:
        assert item is not None  # no errors: every record was checked
        add_submission(actor, assessment, submission_import, item, outcome)
    submission_import.submissions_added = outcome.added
    submission_import.evidence_added = outcome.evidence_added
    submission_import.proposals_added = outcome.proposals_added
    submission_import.save()
    return outcome


def add_submission(
    actor: Actor,
    assessment: Assessment,
    submission_import: SubmissionImport,
    item: CheckedSubmission,
    outcome: ImportOutcome,
) -> None:
    submission = Submission.objects.create(
        assessment=assessment,
        submission_import=submission_import,
        instance_id=item.record.instance_id,
        framework=item.framework,
        organisation=item.organisation,
        collected_on=item.collected_on,
    )
    outcome.added += 1
    if not item.answers:
        outcome.warnings.append(
            _("%(place)s: no rating and no notes in this submission") % {"place": item.record.place}
        )
    for answer in item.answers:
        evidence = None
        if answer.notes:
            evidence = add_evidence(
                actor=actor,
                assessment=assessment,
                question=answer.question,
                sign=Evidence.Sign.MIXED,
                text=answer.notes,
                source_kind=Evidence.SourceKind.SURVEY,
                reference_title=reference_title(submission_import.tool, item),
                date=item.collected_on,
            )
            SurveyCitation.objects.create(evidence=evidence, submission=submission)
            outcome.evidence_added += 1
        if answer.level is not None:
            proposal = ProposedRating.objects.create(
                assessment=assessment,
                submission=submission,
                question=answer.question,
                level=answer.level,
                rationale=answer.rationale,
            )
            if evidence is not None:
                proposal.evidence.add(evidence)
            outcome.proposals_added += 1


# --- Decisions --------------------------------------------------------------------


def proposal_snapshot(proposal: ProposedRating) -> dict[str, object]:
    return {
        "question": proposal.question.key,
        "level": proposal.level.code,
        "submission": proposal.submission.instance_id,
        "status": proposal.status,
        "version": proposal.version,
    }


def locked_proposal(
    assessment: Assessment, proposal_id: int, expected_version: int
) -> ProposedRating:
    proposal = (
        ProposedRating.objects.select_for_update(of=("self",))
        .select_related("question__framework", "level", "submission")
        .filter(pk=proposal_id, assessment=assessment)
        .first()
    )
    if proposal is None:
        raise NotFound(_("no proposed rating %s in this assessment") % proposal_id)
    check_version(
        what=_("This proposed rating"),
        current_version=proposal.version,
        expected_version=expected_version,
        current=proposal_snapshot(proposal),
    )
    if proposal.status != ProposedRating.Status.PROPOSED:
        raise InvalidInput.single(
            "status", _("this proposal was %s already") % proposal.get_status_display().lower()
        )
    return proposal


def current_ratings(
    actor: Actor, assessment: Assessment, question_ids: Iterable[int]
) -> dict[int, QuestionRating | IndependentRating]:
    """The ratings accepting would change, by question: the actor's own in
    independent mode."""
    user = acting_user(actor)
    ratings: QuerySet[QuestionRating] | QuerySet[IndependentRating]
    if assessment.independent_rating and user is not None:
        ratings = IndependentRating.objects.filter(assessment=assessment, assessor=user)
    else:
        ratings = QuestionRating.objects.filter(assessment=assessment)
    found = ratings.filter(question_id__in=list(question_ids)).select_related("level")
    return {rating.question_id: rating for rating in found}


def decide(actor: Actor, assessment: Assessment, proposal: ProposedRating, status: str) -> None:
    before = proposal_snapshot(proposal)
    proposal.status = status
    proposal.decided_by = acting_user(actor)
    proposal.decided_at = timezone.now()
    proposal.version += 1
    proposal.save()
    record_change(
        assessment_id=assessment.pk,
        entity="proposed_rating",
        entity_id=proposal.pk,
        actor=actor,
        before=before,
        after=proposal_snapshot(proposal),
        question_id=proposal.question_id,
    )


@transaction.atomic
def accept_proposal(
    *,
    actor: Actor,
    assessment: Assessment,
    proposal_id: int,
    expected_version: int,
    replace_rating_version: int | None = None,
) -> ProposedRating:
    """Record the proposed rating. A question rated already keeps its rating
    unless `replace_rating_version` is the version of that rating the assessor
    saw and chose to replace."""
    require_editable(actor, assessment)
    proposal = locked_proposal(assessment, proposal_id, expected_version)
    rating = current_ratings(actor, assessment, [proposal.question_id]).get(proposal.question_id)
    if rating is not None and replace_rating_version is None:
        raise InvalidInput.single(
            "replace_rating_version",
            _(
                "the question is rated %(level)s already (version %(version)d); "
                "accept replacing that version, or dismiss the proposal"
            )
            % {"level": rating.level.code, "version": rating.version},
        )
    rate_question(
        actor=actor,
        assessment=assessment,
        question=proposal.question,
        level_code=proposal.level.code,
        rationale=proposal.rationale,
        cited_evidence_ids=[e.pk for e in proposal.evidence.all()],
        expected_version=replace_rating_version if rating is not None else None,
    )
    decide(actor, assessment, proposal, ProposedRating.Status.ACCEPTED)
    return proposal


@transaction.atomic
def dismiss_proposal(
    *, actor: Actor, assessment: Assessment, proposal_id: int, expected_version: int
) -> ProposedRating:
    require_editable(actor, assessment)
    proposal = locked_proposal(assessment, proposal_id, expected_version)
    decide(actor, assessment, proposal, ProposedRating.Status.DISMISSED)
    return proposal


# --- Lists ------------------------------------------------------------------------

IMPORT_ORDER = Ordering({"imported": SortField("created_at")}, default="-imported")
PROPOSAL_ORDER = Ordering({"question": SortField("question__order")}, default="question")


def import_page(
    assessment: Assessment, *, cursor: str | None = None, limit: int = 50
) -> Page[SubmissionImport]:
    imports = SubmissionImport.objects.filter(assessment=assessment).select_related("created_by")
    return paginate(imports, IMPORT_ORDER, cursor=cursor, limit=limit)


def proposal_page(
    assessment: Assessment,
    *,
    status: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[ProposedRating]:
    proposals = (
        ProposedRating.objects.filter(assessment=assessment)
        .select_related("question__framework", "question__dimension", "level", "submission")
        .prefetch_related("evidence")
    )
    if status:
        proposals = proposals.filter(status=status)
    return paginate(proposals, PROPOSAL_ORDER, cursor=cursor, limit=limit)
