"""Pages of missions, meetings and people met, for the API and the command
line, under the rules of the services: missions and meetings for every
member, the people met for the assessment's team only."""

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from readiness.assessments.models import Assessment
from readiness.core.errors import FieldError, InvalidInput, NotFound
from readiness.core.history import Actor
from readiness.core.links import is_web_url
from readiness.core.pagination import DEFAULT_LIMIT, Ordering, Page, SortField, paginate
from readiness.fieldwork.models import Meeting, Mission, PersonMet
from readiness.fieldwork.services.people import require_team

MISSION_ORDER = Ordering({"start_date": SortField("start_date")}, default="start_date")
MEETING_ORDER = Ordering({"order": SortField("order")}, default="order")
PEOPLE_ORDER = Ordering({"name": SortField("name")}, default="name")


def mission_page(
    assessment: Assessment, *, cursor: str | None = None, limit: int = DEFAULT_LIMIT
) -> Page[Mission]:
    """The assessment's missions, the earliest first (the caller has checked
    the actor may see the assessment)."""
    missions = (
        Mission.objects.filter(assessment=assessment)
        .annotate(meeting_count=Count("meetings"))
        .prefetch_related("team")
    )
    return paginate(missions, MISSION_ORDER, cursor=cursor, limit=limit)


def meeting_page(
    mission: Mission, *, cursor: str | None = None, limit: int = DEFAULT_LIMIT
) -> Page[Meeting]:
    """The mission's meetings in their order."""
    meetings = (
        Meeting.objects.filter(mission=mission)
        .select_related("mission")
        .prefetch_related("organisations", "citations")
    )
    return paginate(meetings, MEETING_ORDER, cursor=cursor, limit=limit)


def people_page(
    actor: Actor, assessment: Assessment, *, cursor: str | None = None, limit: int = DEFAULT_LIMIT
) -> Page[PersonMet]:
    """The people met, by name: Forbidden for those outside the team."""
    require_team(actor, assessment)
    people = (
        PersonMet.objects.filter(assessment=assessment)
        .select_related("organisation")
        .prefetch_related("attendances")
    )
    return paginate(people, PEOPLE_ORDER, cursor=cursor, limit=limit)


def meeting_of_assessment(assessment: Assessment, meeting_id: int) -> Meeting:
    """A meeting of any of the assessment's missions."""
    meeting = (
        Meeting.objects.filter(mission__assessment=assessment, pk=meeting_id)
        .select_related("mission__assessment")
        .first()
    )
    if meeting is None:
        raise NotFound(_("no meeting %s in this assessment") % meeting_id)
    return meeting


def meetings_by_id(assessment: Assessment, ids: Iterable[int]) -> list[Meeting]:
    """The meetings named, each of the assessment, or InvalidInput naming
    each one that is not."""
    wanted = list(dict.fromkeys(ids))
    found = {
        m.pk: m
        for m in Meeting.objects.filter(
            mission__assessment=assessment, pk__in=wanted
        ).select_related("mission__assessment")
    }
    missing = [
        FieldError("meetings", _("no meeting %s in this assessment") % pk)
        for pk in wanted
        if pk not in found
    ]
    if missing:
        raise InvalidInput(missing)
    return [found[pk] for pk in wanted]


def meeting_url(meeting: Meeting) -> str:
    """The meeting's page on the site, for the evidence items citing it;
    empty when the site's address (SITE_URL) makes no web address of it."""
    path = reverse(
        "fieldwork:meeting",
        args=[meeting.mission.assessment.slug, meeting.mission.key, meeting.pk],
    )
    url = settings.SITE_URL + path
    return url if is_web_url(url) else ""
