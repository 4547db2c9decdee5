from readiness.fieldwork.models.submissions import (
    ProposedRating,
    Submission,
    SubmissionImport,
    SurveyCitation,
)

__all__ = ["ProposedRating", "Submission", "SubmissionImport", "SurveyCitation"]
