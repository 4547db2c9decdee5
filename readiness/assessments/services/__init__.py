"""Every write to an assessment goes through these functions: the web views,
the REST API, the CLI and the importer all call them. Each one checks the
actor's role (access.require), validates its input (raising InvalidInput
naming the field), checks the version the caller based its edit on (raising
EditConflict), and records the change in history.

The modules hold one purpose each; this package names the functions the doors
use, so that they keep importing `readiness.assessments.services`."""

from readiness.assessments.services.assessments import (
    assessment_dimension,
    assessment_question,
    create_assessment,
    get_assessment,
    get_framework_for_use,
    require_details_editable,
    require_may_create,
    update_details,
)
from readiness.assessments.services.assignments import assign, assignment_snapshot, unassign
from readiness.assessments.services.evidence import add_evidence, delete_evidence, update_evidence
from readiness.assessments.services.ratings import rate_question, record_agreed_rating
from readiness.assessments.services.restore import restore_change
from readiness.assessments.services.team import (
    remove_member,
    set_member,
    set_rating_mode,
    team_snapshot,
)
from readiness.assessments.services.verdicts import dimension_suggestion, record_verdict
from readiness.assessments.services.visits import record_visit

__all__ = [
    "add_evidence",
    "assessment_dimension",
    "assessment_question",
    "assign",
    "assignment_snapshot",
    "create_assessment",
    "delete_evidence",
    "dimension_suggestion",
    "get_assessment",
    "get_framework_for_use",
    "rate_question",
    "record_agreed_rating",
    "record_verdict",
    "record_visit",
    "remove_member",
    "require_details_editable",
    "require_may_create",
    "restore_change",
    "set_member",
    "set_rating_mode",
    "team_snapshot",
    "unassign",
    "update_details",
    "update_evidence",
]
