from readiness.fieldwork.models.missions import (
    Attendance,
    Meeting,
    MeetingCitation,
    Mission,
    PersonMet,
)
from readiness.fieldwork.models.submissions import (
    ProposedRating,
    Submission,
    SubmissionImport,
    SurveyCitation,
)

__all__ = [
    "Attendance",
    "Meeting",
    "MeetingCitation",
    "Mission",
    "PersonMet",
    "ProposedRating",
    "Submission",
    "SubmissionImport",
    "SurveyCitation",
]
