"""Review, sign-off and publication: the workflow transitions, comment
threads and frozen publications. Every write checks the actor's role
(assessments.permissions) and is recorded in history."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from readiness.actionplans.services import export_plans
from readiness.assessments.access import last_moved_by, require
from readiness.assessments.documents import export_assessment
from readiness.assessments.models import Assessment
from readiness.assessments.permissions import REVIEW_DECISIONS, TRANSITIONS, Action, State
from readiness.core.errors import Forbidden, InvalidInput, NotFound, WrongState
from readiness.core.history import Actor, acting_user, record_change
from readiness.core.text import LONG, checked_text, clean_identifier
from readiness.frameworks.models import Dimension, Question
from readiness.notifications.services import notify_mentions, notify_workflow_step
from readiness.reviews.checklist import Checklist, checklist, refusal
from readiness.reviews.models import Comment, Publication


@transaction.atomic
def move_to(
    *, actor: Actor, assessment: Assessment, target: str, gaps_reason: str = ""
) -> Assessment:
    """Move the assessment along its workflow (permissions.TRANSITIONS); who
    submitted a review may not decide it. Publishing freezes a copy, signed
    by its submitter, approver and publisher, that the public reads from then on.
    It is refused while the readiness checklist has required items open, unless
    `gaps_reason` says why it is published with them (shown with the copy)."""
    if target not in State.values:
        raise InvalidInput.single("state", _("must be one of: %s") % ", ".join(State.values))
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    access = require(actor, assessment, Action.VIEW)
    source = State(assessment.state)
    if not access.may_move_to(target):
        if access.is_submitter and (source, State(target)) in REVIEW_DECISIONS:
            raise Forbidden(
                _(
                    "You submitted this assessment for review; someone else must approve it "
                    "or request changes."
                )
            )
        if (source, State(target)) in TRANSITIONS:
            raise Forbidden(_("Your role on this assessment does not allow this step."))
        raise WrongState(
            _("An assessment that is %(source)s cannot become %(target)s.")
            % {"source": source.label, "target": State(target).label}
        )
    readiness = None
    if target == State.PUBLISHED:
        readiness = checklist(assessment)
        gaps_reason = publication_reason(readiness, gaps_reason)
    assessment.state = target
    assessment.save(update_fields=["state"])
    if readiness is not None:
        number = (
            assessment.publications.order_by("-number").values_list("number", flat=True).first()
            or 0
        ) + 1
        Publication.objects.create(
            assessment=assessment,
            number=number,
            document=export_assessment(assessment),
            plans=export_plans(assessment),
            published_by=acting_user(actor),
            submitted_by_id=last_moved_by(assessment, State.IN_REVIEW),
            approved_by_id=last_moved_by(assessment, State.APPROVED),
            readiness=readiness.record(),
            gaps_reason=gaps_reason,
        )
    record_change(
        assessment_id=assessment.pk,
        entity="workflow",
        entity_id=assessment.pk,
        actor=actor,
        before={"state": source.value},
        after={"state": target, **({"gaps_reason": gaps_reason} if gaps_reason else {})},
    )
    notify_workflow_step(actor=actor, assessment=assessment, target=target)
    return assessment


def publication_reason(readiness: Checklist, gaps_reason: str) -> str:
    """The reason to keep with the publication: required when required items
    are open, refused when none are (the copy would claim gaps it does not have)."""
    reason = checked_text(gaps_reason, LONG, "gaps_reason")
    if not readiness.ready and not reason:
        raise InvalidInput.single("gaps_reason", refusal(readiness))
    if readiness.ready and reason:
        raise InvalidInput.single(
            "gaps_reason", _("Nothing required is missing: publish without a reason.")
        )
    return reason


def readiness_of(actor: Actor, assessment: Assessment) -> Checklist:
    """The checklist for everyone on the team, whatever the state."""
    require(actor, assessment, Action.VIEW)
    return checklist(assessment)


def latest_publication(slug: str) -> Publication:
    publication = (
        Publication.objects.select_related(
            "assessment", "submitted_by", "approved_by", "published_by"
        )
        .filter(assessment__slug=clean_identifier(slug))
        .order_by("-number")
        .first()
    )
    if publication is None:
        raise NotFound(_("no published assessment named %s") % slug)
    return publication


def comment_snapshot(comment: Comment) -> dict[str, Any]:
    return {
        "text": comment.text,
        "dimension": comment.dimension.key if comment.dimension else None,
        "question": comment.question.key if comment.question else None,
        "thread": comment.parent_id,
        "resolved": comment.resolved_at is not None,
    }


@transaction.atomic
def add_comment(
    *,
    actor: Actor,
    assessment: Assessment,
    text: str,
    dimension: Dimension | None = None,
    question: Question | None = None,
    reply_to: int | None = None,
) -> Comment:
    """Start a thread on the assessment, a dimension or a question, or reply
    to one (a reply belongs to its thread's target)."""
    require(actor, assessment, Action.COMMENT)
    text = checked_text(text, LONG, "text", required=True)
    parent = None
    if reply_to is not None:
        parent = Comment.objects.filter(assessment=assessment, pk=reply_to).first()
        if parent is None:
            raise InvalidInput.single("reply_to", _("no comment %s here") % reply_to)
        parent = parent.parent or parent
        dimension, question = parent.dimension, parent.question
    elif question is not None:
        dimension = question.dimension
    comment = Comment.objects.create(
        assessment=assessment,
        dimension=dimension,
        question=question,
        parent=parent,
        author=acting_user(actor),
        text=text,
    )
    record_change(
        assessment_id=assessment.pk,
        entity="comment",
        entity_id=comment.pk,
        actor=actor,
        before=None,
        after=comment_snapshot(comment),
    )
    notify_mentions(
        actor=actor, assessment=comment.assessment, comment_id=comment.pk, text=comment.text
    )
    return comment


@transaction.atomic
def set_thread_resolved(
    *, actor: Actor, assessment: Assessment, thread_id: int, resolved: bool
) -> Comment:
    """Resolve or reopen a thread: its author, the lead or a reviewer may."""
    access = require(actor, assessment, Action.COMMENT)
    thread = Comment.objects.filter(
        assessment=assessment, pk=thread_id, parent__isnull=True
    ).first()
    if thread is None:
        raise NotFound(_("no comment thread %s here") % thread_id)
    user = acting_user(actor)
    is_author = user is not None and thread.author_id == user.pk
    if not (is_author or access.can(Action.RESOLVE_COMMENTS)):
        raise Forbidden(_("Only the author, the lead or a reviewer may resolve this thread."))
    before = comment_snapshot(thread)
    thread.resolved_at = timezone.now() if resolved else None
    thread.resolved_by = user if resolved else None
    thread.save(update_fields=["resolved_at", "resolved_by"])
    record_change(
        assessment_id=assessment.pk,
        entity="comment",
        entity_id=thread.pk,
        actor=actor,
        before=before,
        after=comment_snapshot(thread),
    )
    return thread
