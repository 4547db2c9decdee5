"""Missions, their meetings, the people met and the passages of meeting notes
cited as evidence, in the web: parse the form, call a service
(readiness.fieldwork.services), render. Refusals of the services become pages
with their status (ServiceErrorMiddleware); a refused form is shown again, as
typed, with each error beside its field, and a save based on a stale version
(409) shows what is stored now."""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readiness.assessments.access import access_to, check_editable_state
from readiness.assessments.models import Assessment, Evidence
from readiness.assessments.permissions import Action, Role
from readiness.assessments.services.assessments import get_assessment
from readiness.core.errors import EditConflict, Forbidden, InvalidInput, NotFound
from readiness.core.filtering import PageQuery, read_query
from readiness.core.forms import add_service_errors
from readiness.core.history import acting_user
from readiness.core.responses import attachment
from readiness.fieldwork import selectors
from readiness.fieldwork.forms import (
    AttendanceForm,
    MeetingForm,
    MissionForm,
    PassageForm,
    PersonForm,
    split_list,
)
from readiness.fieldwork.models import Attendance, Meeting, Mission, PersonMet
from readiness.fieldwork.services import coverage as coverage_services
from readiness.fieldwork.services import missions as services
from readiness.fieldwork.services import people as people_services
from readiness.frameworks.models import Question


def context_of(request: HttpRequest, assessment: Assessment, **extra: Any) -> dict[str, Any]:
    return {
        "assessment": assessment,
        "access": access_to(acting_user(request.user), assessment),
        "sees_people": people_services.may_see_people(request.user, assessment),
        **extra,
    }


def editable_assessment(request: HttpRequest, slug: str) -> Assessment:
    """The assessment, if the user may change it now: the forms are offered
    only where they can be saved. The services check again when they save."""
    assessment = get_assessment(request.user, slug, Action.EDIT)
    check_editable_state(assessment)
    return assessment


def seen_version(request: HttpRequest, conflict: EditConflict) -> Any:
    """What was typed, based on the version stored now: saving again, having
    seen it, is a deliberate overwrite."""
    typed = request.POST.copy()
    typed["version"] = str(conflict.current_version)
    return typed


def status_of(form: Any, conflict: EditConflict | None) -> int:
    return 409 if conflict else 422 if form.errors else 200


def mission_address(mission: Mission) -> str:
    return reverse("fieldwork:mission", args=[mission.assessment.slug, mission.key])


def meeting_address(meeting: Meeting) -> str:
    mission = meeting.mission
    return reverse("fieldwork:meeting", args=[mission.assessment.slug, mission.key, meeting.pk])


def person_address(person: PersonMet) -> str:
    return reverse("fieldwork:person-edit", args=[person.assessment.slug, person.pk])


# --- missions --------------------------------------------------------------------


@login_required
@require_GET
def missions(request: HttpRequest, slug: str) -> HttpResponse:
    assessment = get_assessment(request.user, slug)
    paging = read_query(PageQuery, request.GET)
    page = selectors.mission_page(assessment, cursor=paging.cursor, limit=paging.limit)
    return render(
        request, "fieldwork/missions/missions.html", context_of(request, assessment, page=page)
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_mission(request: HttpRequest, slug: str) -> HttpResponse:
    assessment = editable_assessment(request, slug)
    form = MissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mission = services.create_mission(
                actor=request.user,
                assessment=assessment,
                key=data["key"],
                name=data["name"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                places=data["places"],
                team=split_list(data["team"]),
            )
        except InvalidInput as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The mission is added."))
            return redirect(mission_address(mission))
    return render(
        request,
        "fieldwork/missions/mission_form.html",
        context_of(request, assessment, form=form, mission=None),
        status=status_of(form, None),
    )


@login_required
@require_GET
def mission(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """The mission with its meetings; how many people were met at each only
    for those who may see the people met."""
    assessment = get_assessment(request.user, slug)
    found = services.get_mission(assessment, key)
    sees_people = people_services.may_see_people(request.user, assessment)
    meetings = services.meetings_of(found)
    attended = (
        dict(
            Attendance.objects.filter(meeting__mission=found)
            .values("meeting")
            .annotate(count=Count("id"))
            .values_list("meeting", "count")
        )
        if sees_people
        else {}
    )
    rows = [(meeting, attended.get(meeting.pk, 0)) for meeting in meetings]
    return render(
        request,
        "fieldwork/missions/mission.html",
        context_of(request, assessment, mission=found, rows=rows),
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_mission(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """A save based on a stale version is refused (409) and shows what is stored now."""
    assessment = editable_assessment(request, slug)
    found = services.get_mission(assessment, key)
    form = MissionForm(request.POST or None, editing=True, initial=MissionForm.initial_of(found))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_mission(
                actor=request.user,
                mission=found,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
            )
        except InvalidInput as error:
            add_service_errors(form, error)
        except EditConflict as error:
            conflict = error
            form = MissionForm(seen_version(request, error), editing=True)
            form.is_valid()
        else:
            messages.success(request, _("The mission is saved."))
            return redirect(mission_address(found))
    return render(
        request,
        "fieldwork/missions/mission_form.html",
        context_of(request, assessment, form=form, mission=found, conflict=conflict),
        status=status_of(form, conflict),
    )


# --- meetings --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def add_meeting(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    assessment = editable_assessment(request, slug)
    found = services.get_mission(assessment, key)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        try:
            meeting = services.add_meeting(
                actor=request.user,
                mission=found,
                organisations=data["organisations"],
                date=data["date"],
                topics=data["topics"],
                notes=data["notes"],
            )
        except InvalidInput as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting is added."))
            return redirect(meeting_address(meeting))
    return render(
        request,
        "fieldwork/missions/meeting_form.html",
        context_of(request, assessment, form=form, mission=found, meeting=None),
        status=status_of(form, None),
    )


def assessment_questions(assessment: Assessment) -> Any:
    return (
        Question.objects.filter(framework__in=assessment.frameworks.all())
        .select_related("framework", "dimension")
        .order_by("framework__key", "order")
    )


def meeting_response(
    request: HttpRequest,
    assessment: Assessment,
    meeting: Meeting,
    form: PassageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The meeting, who attended (for those who may see the people met), the
    evidence items citing it and the form to cite a passage of its notes."""
    context = context_of(request, assessment, mission=meeting.mission, meeting=meeting)
    if context["access"].can_edit_now and form is None:
        form = PassageForm(questions=assessment_questions(assessment))
    cited = (
        Evidence.objects.filter(meeting_citation__meeting=meeting)
        .select_related("question__framework", "question__dimension")
        .order_by("question__framework__key", "question__order", "id")
    )
    return render(
        request,
        "fieldwork/missions/meeting.html",
        {
            **context,
            "attendees": people_services.attendees(request.user, meeting),
            "cited": cited,
            "form": form,
        },
        status=status,
    )


@login_required
@require_GET
def meeting(request: HttpRequest, slug: str, key: str, meeting_id: int) -> HttpResponse:
    assessment = get_assessment(request.user, slug)
    found = services.get_meeting(services.get_mission(assessment, key), meeting_id)
    return meeting_response(request, assessment, found)


@login_required
@require_POST
def cite(request: HttpRequest, slug: str, key: str, meeting_id: int) -> HttpResponse:
    """A passage of the notes as evidence for a question; refused (422, the
    form again) when it is not in the notes."""
    assessment = editable_assessment(request, slug)
    found = services.get_meeting(services.get_mission(assessment, key), meeting_id)
    form = PassageForm(request.POST, questions=assessment_questions(assessment))
    if form.is_valid():
        question = form.questions[form.cleaned_data["question"]]
        try:
            services.cite_passage(
                actor=request.user,
                meeting=found,
                question=question,
                passage=form.cleaned_data["passage"],
                sign=form.cleaned_data["sign"],
                meeting_url=selectors.meeting_url(found),
            )
        except InvalidInput as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The passage is cited as evidence for question %(question)s.")
                % {"question": f"{question.framework.key.upper()} {question.key}"},
            )
            return redirect(meeting_address(found))
    return meeting_response(request, assessment, found, form=form, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def edit_meeting(request: HttpRequest, slug: str, key: str, meeting_id: int) -> HttpResponse:
    """A save based on a stale version is refused (409) and shows what is stored now."""
    assessment = editable_assessment(request, slug)
    found = services.get_meeting(services.get_mission(assessment, key), meeting_id)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_of(found))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(
                actor=request.user,
                meeting=found,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
            )
        except InvalidInput as error:
            add_service_errors(form, error)
        except EditConflict as error:
            conflict = error
            form = MeetingForm(seen_version(request, error))
            form.is_valid()
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect(meeting_address(found))
    return render(
        request,
        "fieldwork/missions/meeting_form.html",
        context_of(
            request, assessment, form=form, mission=found.mission, meeting=found, conflict=conflict
        ),
        status=status_of(form, conflict),
    )


# --- coverage --------------------------------------------------------------------


@login_required
@require_GET
def coverage(request: HttpRequest, slug: str) -> HttpResponse:
    """Which questions and dimensions each meeting informed, which
    organisations were met about what, and which dimensions rest on too few
    sources."""
    assessment = get_assessment(request.user, slug)
    grid = coverage_services.coverage(request.user, assessment)
    dimensions = [row.dimension for row in grid.dimensions]
    meeting_rows = [
        (
            row.meeting,
            [(d, row.questions[d.pk]) for d in dimensions if d.pk in row.questions],
        )
        for row in grid.meetings
    ]
    organisation_rows = [
        (name, [counts.get(d.pk, 0) for d in dimensions])
        for name, counts in grid.organisations.items()
    ]
    return render(
        request,
        "fieldwork/missions/coverage.html",
        context_of(
            request,
            assessment,
            grid=grid,
            dimensions=dimensions,
            meeting_rows=meeting_rows,
            organisation_rows=organisation_rows,
        ),
    )


# --- people met ------------------------------------------------------------------


@login_required
@require_GET
def people(request: HttpRequest, slug: str) -> HttpResponse:
    """The people met: the team's only (403 for the others)."""
    assessment = get_assessment(request.user, slug)
    paging = read_query(PageQuery, request.GET)
    page = selectors.people_page(request.user, assessment, cursor=paging.cursor, limit=paging.limit)
    return render(
        request, "fieldwork/missions/people.html", context_of(request, assessment, page=page)
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_person(request: HttpRequest, slug: str) -> HttpResponse:
    assessment = editable_assessment(request, slug)
    people_services.require_team(request.user, assessment)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = people_services.add_person(
                actor=request.user, assessment=assessment, **form.changes()
            )
        except InvalidInput as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The person is added."))
            return redirect(person_address(person))
    return render(
        request,
        "fieldwork/missions/person_form.html",
        context_of(request, assessment, form=form, person=None),
        status=status_of(form, None),
    )


def all_meetings(assessment: Assessment) -> list[Meeting]:
    return list(
        Meeting.objects.filter(mission__assessment=assessment)
        .select_related("mission")
        .order_by("mission__start_date", "mission__id", "order", "id")
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_person(request: HttpRequest, slug: str, person_id: int) -> HttpResponse:
    """The person, the meetings they attended, and (while the assessment can
    change) the form to correct them; a save based on a stale version is
    refused (409) and shows what is stored now."""
    assessment = get_assessment(request.user, slug)
    person = people_services.get_person(request.user, assessment, person_id)
    if request.method == "POST":
        assessment = editable_assessment(request, slug)
    access = access_to(acting_user(request.user), assessment)
    form = (
        PersonForm(request.POST or None, initial=PersonForm.initial_of(person))
        if access.can_edit_now
        else None
    )
    conflict = None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            people_services.update_person(
                actor=request.user,
                person=person,
                expected_version=form.cleaned_data["version"],
                changes=form.changes(),
            )
        except InvalidInput as error:
            add_service_errors(form, error)
        except EditConflict as error:
            conflict = error
            form = PersonForm(seen_version(request, error))
            form.is_valid()
        else:
            messages.success(request, _("The person is saved."))
            return redirect(person_address(person))
    attended = [
        a.meeting
        for a in person.attendances.select_related("meeting__mission")
        .prefetch_related("meeting__organisations")
        .order_by("meeting__mission__start_date", "meeting__order")
    ]
    attended_ids = {meeting.pk for meeting in attended}
    return render(
        request,
        "fieldwork/missions/person.html",
        {
            **context_of(request, assessment),
            "access": access,
            "person": person,
            "form": form,
            "conflict": conflict,
            "attended": attended,
            "other_meetings": [m for m in all_meetings(assessment) if m.pk not in attended_ids],
            "may_erase": may_erase(request, assessment),
        },
        status=status_of(form, conflict) if form is not None else 200,
    )


@login_required
@require_POST
def attend(request: HttpRequest, slug: str, person_id: int) -> HttpResponse:
    """Record the person at a meeting, or remove them from it; a refusal is
    said as a message on the person's page."""
    assessment = editable_assessment(request, slug)
    person = people_services.get_person(request.user, assessment, person_id)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The change was not understood; please try again."))
        return redirect(person_address(person))
    found = (
        Meeting.objects.filter(mission__assessment=assessment, pk=form.cleaned_data["meeting"])
        .select_related("mission__assessment")
        .first()
    )
    if found is None:
        raise NotFound(_("no meeting %s in this assessment") % form.cleaned_data["meeting"])
    try:
        if form.cleaned_data["action"] == "attend":
            people_services.attend(actor=request.user, meeting=found, person=person)
            messages.success(request, _("The attendance is recorded."))
        else:
            people_services.leave(actor=request.user, meeting=found, person=person)
            messages.success(request, _("The attendance is removed."))
    except (InvalidInput, NotFound) as error:
        messages.error(request, str(error))
    return redirect(person_address(person))


@login_required
@require_GET
def export_person(request: HttpRequest, slug: str, person_id: int) -> HttpResponse:
    """Everything kept about the person, as JSON, for a subject access request."""
    assessment = get_assessment(request.user, slug)
    person = people_services.get_person(request.user, assessment, person_id)
    document = people_services.export_person(request.user, person)
    return attachment(
        json.dumps(document, ensure_ascii=False, indent=2).encode(),
        "application/json",
        f"person-{person.pk}.json",
    )


def may_erase(request: HttpRequest, assessment: Assessment) -> bool:
    """The rule of people_services.erase_person, for the page that asks first."""
    access = access_to(acting_user(request.user), assessment)
    return access.is_admin or access.role == Role.LEAD


@login_required
@require_http_methods(["GET", "POST"])
def erase_person(request: HttpRequest, slug: str, person_id: int) -> HttpResponse:
    """A page that says what goes and what stays, then erases (the lead only,
    in any state of the assessment)."""
    assessment = get_assessment(request.user, slug)
    person = people_services.get_person(request.user, assessment, person_id)
    if not may_erase(request, assessment):
        raise Forbidden(_("Only the lead erases a person's data."))
    if request.method == "POST":
        people_services.erase_person(actor=request.user, person=person)
        messages.success(request, _("The person's data is erased."))
        return redirect("fieldwork:people", slug=assessment.slug)
    return render(
        request,
        "fieldwork/missions/person_erase.html",
        context_of(
            request,
            assessment,
            person=person,
            meeting_count=person.attendances.count(),
        ),
    )
