"""What each member has seen of the workspace, for "changed since my last visit"."""

from django.contrib.auth.models import User

from readiness.assessments.models import Assessment, DimensionVisit
from readiness.frameworks.models import Dimension


def record_visit(user: User, assessment: Assessment, dimension: Dimension, revision: int) -> int:
    """Note that `user` saw the dimension at change `revision`; returns the
    change their "changed since my last visit" counts from. A first visit
    marks nothing; a visit that finds nothing new keeps the earlier marks."""
    visit, created = DimensionVisit.objects.get_or_create(
        assessment=assessment,
        user=user,
        dimension=dimension,
        defaults={"seen_change_id": revision, "previous_change_id": revision},
    )
    if not created and revision > visit.seen_change_id:
        visit.previous_change_id, visit.seen_change_id = visit.seen_change_id, revision
        visit.save(update_fields=["previous_change_id", "seen_change_id", "visited_at"])
    return visit.previous_change_id
