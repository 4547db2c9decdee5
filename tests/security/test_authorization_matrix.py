"""The authorization matrix: every URL pattern and every API operation, for
every persona (lead, assessor, reviewer, counterpart, outsider, anonymous), on
their own assessment and on somebody else's, in every workflow state (draft,
in review, changes requested, approved, published, archived). Each cell's
expected outcome comes from the rule of the endpoint's kind below. A new
endpoint that is not listed in ENDPOINTS fails the test."""

import copy
import datetime
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from openpyxl import Workbook

from readiness.accounts.services import create_token
from readiness.actionplans import spreadsheet
from readiness.actionplans.services import delete_action, import_plan
from readiness.api.main import api
from readiness.assessments import services
from readiness.assessments.documents import import_assessment
from readiness.assessments.models import Assessment, Assignment, Evidence, Membership
from readiness.assessments.permissions import Role, State
from readiness.catalogues.models import Catalogue, CatalogueRun, Dataset
from readiness.catalogues.records import TABLE_COLUMNS
from readiness.core.models import ChangeRecord
from readiness.demo.services import demo_document
from readiness.fieldwork.models import (
    Attendance,
    Meeting,
    Mission,
    PersonMet,
    ProposedRating,
    Submission,
    SubmissionImport,
)
from readiness.frameworks.models import Framework
from readiness.notifications.models import Kind
from readiness.notifications.services import notify, preferences_of
from readiness.operations.services import record_heartbeat
from readiness.reports.models import Report
from readiness.reviews import services as reviews

PERSONAS = ["lead", "assessor", "reviewer", "counterpart", "outsider", "anonymous"]
MEMBER_ROLES = {
    "lead": Role.LEAD,
    "assessor": Role.ASSESSOR,
    "reviewer": Role.REVIEWER,
    "counterpart": Role.COUNTERPART,
}

# --- what each kind of endpoint allows -------------------------------------------


EDITABLE = {State.DRAFT, State.CHANGES_REQUESTED}
TEAM_FROZEN = {State.IN_REVIEW, State.APPROVED}
PUBLISHED_ONCE = {State.PUBLISHED, State.ARCHIVED}


def rule_public(persona: str, member: bool, state: State) -> str:
    return "ok"


def rule_to_login_page(persona: str, member: bool, state: State) -> str:
    """Logging out ends on the login page, for everyone."""
    return "login"


def rule_authenticated(persona: str, member: bool, state: State) -> str:
    return "login" if persona == "anonymous" else "ok"


def rule_create(persona: str, member: bool, state: State) -> str:
    """By default only staff may create assessments; no persona here is staff."""
    return "login" if persona == "anonymous" else "403"


def scoped(inner: Callable[[str, State], str]) -> Callable[[str, bool, State], str]:
    """Assessment-scoped: anonymous must log in; non-members see nothing."""

    def rule(persona: str, member: bool, state: State) -> str:
        if persona == "anonymous":
            return "login"
        if not member:
            return "404"
        return inner(persona, state)

    return rule


rule_read = scoped(lambda persona, state: "ok")
rule_comment = rule_read
rule_edit = scoped(
    lambda persona, state: (
        "403" if persona in {"reviewer", "counterpart"} else ("ok" if state in EDITABLE else "409")
    )
)
rule_edit_as_lead = scoped(
    lambda persona, state: (
        "403"
        if persona in {"reviewer", "counterpart"}
        else "409"
        if state not in EDITABLE
        else ("ok" if persona == "lead" else "403")
    )
)
# The team is the lead's, and frozen while a review is under way or approved.
rule_team = scoped(
    lambda persona, state: "403" if persona != "lead" else "409" if state in TEAM_FROZEN else "ok"
)
# Before publication lead, assessors and counterpart report progress; after
# it only the lead and the counterpart; on an archived assessment nobody.
rule_track = scoped(
    lambda persona, state: (
        "403"
        if persona == "reviewer" or (persona == "assessor" and state in PUBLISHED_ONCE)
        else "409"
        if state == State.ARCHIVED
        else "ok"
    )
)
# The people met are the team's: the lead and the assessors, in every state;
# erasing a person is the lead's (also after publication).
rule_team_read = scoped(lambda persona, state: "ok" if persona in {"lead", "assessor"} else "403")
rule_erase = scoped(lambda persona, state: "ok" if persona == "lead" else "403")
rule_resolve = scoped(lambda persona, state: "ok" if persona in {"lead", "reviewer"} else "403")
# Reconciliation is open in every world: the lead and the assessors see it.
rule_see_reconciliation = scoped(
    lambda persona, state: "ok" if persona in {"lead", "assessor"} else "403"
)
# The step each state's workflow cell asks for, and who may take it (the
# worlds were moved by the system, so no persona is the submitter).
WORKFLOW_STEP = {
    State.DRAFT: State.IN_REVIEW,
    State.IN_REVIEW: State.APPROVED,
    State.CHANGES_REQUESTED: State.IN_REVIEW,
    State.APPROVED: State.PUBLISHED,
    State.PUBLISHED: State.ARCHIVED,
    State.ARCHIVED: State.DRAFT,  # no such step
}
STEP_TAKER = {
    State.DRAFT: "lead",
    State.IN_REVIEW: "reviewer",
    State.CHANGES_REQUESTED: "lead",
    State.APPROVED: "lead",
    State.PUBLISHED: "lead",
}
# The worlds leave a comment thread open, so publishing them takes a reason.
GAPS_REASON = "The matrix keeps one thread open."


def workflow_step(state: State) -> dict[str, str]:
    step = WORKFLOW_STEP[state]
    return {"state": step, **({"gaps_reason": GAPS_REASON} if step == State.PUBLISHED else {})}


rule_workflow = scoped(
    lambda persona, state: (
        "409" if state not in STEP_TAKER else "ok" if persona == STEP_TAKER[state] else "403"
    )
)


def rule_register_owner(persona: str, member: bool, state: State) -> str:
    """No persona owns the organisations register."""
    return "login" if persona == "anonymous" else "403"


def rule_published_copy(persona: str, member: bool, state: State) -> str:
    return "ok" if state in PUBLISHED_ONCE else "404"


# Rules that do not look at an assessment: their cells run in one state only.
STATELESS = {
    rule_public,
    rule_to_login_page,
    rule_authenticated,
    rule_create,
    rule_register_owner,
}


# --- the world each cell runs in -------------------------------------------------


@dataclass
class World:
    """Per state, the personas' own assessment and somebody else's."""

    users: dict[str, User]
    assessments: dict[tuple[State, bool], Assessment]
    state: State = State.DRAFT

    def target(self, member: bool) -> Assessment:
        return self.assessments[(self.state, member)]

    def question(self, assessment: Assessment) -> Any:
        return Framework.objects.get(key="dgra").questions.get(key="1.1")

    def evidence(self, assessment: Assessment) -> Evidence:
        return assessment.evidence.order_by("id").first()  # type: ignore[return-value]

    def evidence_change(self, assessment: Assessment) -> ChangeRecord:
        return ChangeRecord.objects.filter(assessment=assessment, entity="evidence").latest("id")

    def thread(self, assessment: Assessment) -> int:
        return assessment.comments.filter(parent__isnull=True).first().pk  # type: ignore[union-attr]

    def report(self, assessment: Assessment) -> int:
        """A finished report of the working draft."""
        return assessment.reports.get(publication=None).pk

    def published_report(self, assessment: Assessment) -> int:
        """A finished report of the published version, if there is one."""
        report = assessment.reports.exclude(publication=None).first()
        return report.pk if report else self.report(assessment)

    def deleted_action(self, assessment: Assessment) -> int:
        return ChangeRecord.objects.get(
            assessment=assessment, entity="action", action=ChangeRecord.Action.DELETE
        ).pk

    def action_version(self, assessment: Assessment) -> int:
        return assessment.actions.get(key="matrix-1").version

    def assignment(self, assessment: Assessment) -> int:
        """An assignment to delete (made again for each cell that needs one)."""
        made, _created = Assignment.objects.get_or_create(
            assessment=assessment,
            user=self.users["assessor"],
            dimension=Framework.objects.get(key="dgra").dimensions.get(key="2"),
        )
        return made.pk

    def verdict_version(self, assessment: Assessment) -> int:
        return assessment.verdicts.get(dimension__framework__key="dgra", dimension__key="1").version

    def catalogue(self, assessment: Assessment) -> Catalogue:
        """The inventory's catalogue, with one dataset and one run (made again
        for each cell that needs them)."""
        catalogue, _created = Catalogue.objects.get_or_create(
            assessment=assessment, key="matrix", defaults={"title": "Matrix", "kind": "desk"}
        )
        return catalogue

    def dataset(self, assessment: Assessment) -> Dataset:
        dataset, _created = Dataset.objects.get_or_create(
            catalogue=self.catalogue(assessment),
            identifier="matrix-1",
            defaults={"title": "Matrix dataset"},
        )
        return dataset

    def mission(self, assessment: Assessment) -> Mission:
        """A mission with one meeting and one person met (made again for each cell)."""
        mission, _created = Mission.objects.get_or_create(
            assessment=assessment,
            key="matrix",
            defaults={
                "name": "Matrix mission",
                "start_date": datetime.date(2018, 1, 15),
                "end_date": datetime.date(2018, 1, 25),
            },
        )
        return mission

    def meeting(self, assessment: Assessment) -> Meeting:
        meeting, _created = Meeting.objects.get_or_create(
            mission=self.mission(assessment),
            order=1,
            defaults={"topics": "Strategy", "notes": "The strategy is adopted."},
        )
        return meeting

    def person(self, assessment: Assessment) -> PersonMet:
        person, _created = PersonMet.objects.get_or_create(
            assessment=assessment, name="Matrix Person", defaults={"consent": "oral"}
        )
        return person

    def attendee(self, assessment: Assessment) -> PersonMet:
        """The person met, recorded at the meeting."""
        person = self.person(assessment)
        Attendance.objects.get_or_create(meeting=self.meeting(assessment), person=person)
        return person

    def proposal(self, assessment: Assessment) -> ProposedRating:
        """A rating proposed by a field submission (made again for each cell)."""
        imported, _created = SubmissionImport.objects.get_or_create(
            assessment=assessment, source_name="matrix.csv", defaults={"tool": "odk"}
        )
        submission, _created = Submission.objects.get_or_create(
            assessment=assessment,
            instance_id="matrix-1",
            defaults={
                "submission_import": imported,
                "framework": Framework.objects.get(key="dgra"),
            },
        )
        question = self.question(assessment)
        proposal, _created = ProposedRating.objects.get_or_create(
            assessment=assessment,
            submission=submission,
            question=question,
            defaults={"level": question.framework.levels.get(code="green")},
        )
        return proposal

    def proposal_decision(self, assessment: Assessment) -> dict[str, int]:
        """Accepting in full knowledge: the proposal's version, and the
        version of the rating it replaces, if the question is rated."""
        decision = {"version": self.proposal(assessment).version}
        rating = assessment.ratings.filter(question=self.question(assessment)).first()
        if rating is not None:
            decision["replace_rating_version"] = rating.version
        return decision

    def catalogue_run(self, assessment: Assessment) -> int:
        run, _created = CatalogueRun.objects.get_or_create(
            catalogue=self.catalogue(assessment), kind="import", defaults={"status": "done"}
        )
        return run.pk


PLAN: dict[str, Any] = {
    "format": "readiness-action-plan/1",
    "framework": "dgra",
    "organisations": [
        {
            "abbreviation": "OoG",
            "name": {"en": "Office of the Government", "vi": "Văn phòng Chính phủ"},
            "kind": "ministry",
        }
    ],
    "actions": [
        {
            "key": "matrix-1",
            "title": "An action",
            "dimensions": ["1"],
            "phase": "short",
            "responsible": "OoG",
            "start_month": 1,
            "duration_months": 3,
        }
    ],
}


# A small hand-written assessment document for the import cells (the whole
# demo took ~6 s a cell).
SMALL_DOCUMENT: dict[str, Any] = {
    "format": "readiness-assessment/1",
    "assessment": {
        "slug": "imported-copy",
        "title": "Imported",
        "subject": {"kind": "country", "code": "VN"},
    },
    "frameworks": [
        {
            "key": "dgra",
            "version": "2018",
            "dimensions": [
                {
                    "key": "1",
                    "questions": [
                        {
                            "key": "1.1",
                            "evidence": [
                                {"sign": "+", "text": "A decree", "source_kind": "document"}
                            ],
                            "rating": {"level": "green", "cites": [0]},
                        }
                    ],
                }
            ],
        }
    ],
}


def workbook_upload() -> SimpleUploadedFile:
    """A one-action workbook in the plan's spreadsheet layout."""
    workbook = Workbook()
    workbook.active.title = spreadsheet.SHEET
    workbook.active.append(spreadsheet.COLUMNS)
    row = {
        "key": "xlsx-1",
        "framework": "dgra",
        "dimensions": "1",
        "title": "From a sheet",
        "phase": "short",
        "responsible": "OoG",
        "start_month": 1,
        "duration_months": 2,
    }
    workbook.active.append([row.get(column) for column in spreadsheet.COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("plan.xlsx", buffer.getvalue(), content_type=spreadsheet.CONTENT_TYPE)


def inventory_csv_upload() -> SimpleUploadedFile:
    """One dataset in the inventory spreadsheet's columns."""
    row = {"identifier": "csv-1", "title": "From a sheet", "access": "online"}
    text = ",".join(TABLE_COLUMNS) + "\r\n" + ",".join(row.get(c, "") for c in TABLE_COLUMNS)
    return SimpleUploadedFile("inventory.csv", (text + "\r\n").encode(), content_type="text/csv")


def submissions_csv_upload() -> SimpleUploadedFile:
    """One ODK Central submission that rates DGRA 1.1 and writes notes on it."""
    text = (
        "KEY,framework,d_1-q_1.1,d_1-e_1.1\r\nuuid:matrix-2,dgra 2018,yellow,Said in a meeting\r\n"
    )
    return SimpleUploadedFile("submissions.csv", text.encode(), content_type="text/csv")


def register_csv_upload() -> SimpleUploadedFile:
    """One new entry for the organisations register, in the export's columns."""
    text = (
        "abbreviation,abbreviation_vi,name_en,name_vi,kind,jurisdiction,parent,aliases,version\r\n"
        "MoCsv,,Ministry of Tables,Bộ Bảng,ministry,VN,,,\r\n"
    )
    return SimpleUploadedFile("register.csv", text.encode("utf-8"), content_type="text/csv")


STEPS_TO = {
    State.DRAFT: [],
    State.IN_REVIEW: [State.IN_REVIEW],
    State.CHANGES_REQUESTED: [State.IN_REVIEW, State.CHANGES_REQUESTED],
    State.APPROVED: [State.IN_REVIEW, State.APPROVED],
    State.PUBLISHED: [State.IN_REVIEW, State.APPROVED, State.PUBLISHED],
    State.ARCHIVED: [State.IN_REVIEW, State.APPROVED, State.PUBLISHED, State.ARCHIVED],
}


def small_assessment(slug: str, lead: User, state: State) -> Assessment:
    """DGRA dimension 1 of the demo, in independent mode with reconciliation
    open, one comment thread by its lead, one edited evidence item."""
    document = copy.deepcopy(demo_document())
    document["assessment"]["slug"] = slug
    document["frameworks"] = document["frameworks"][:1]
    document["frameworks"][0]["dimensions"] = document["frameworks"][0]["dimensions"][:1]
    # Imported by the system (the lead may not create one), then led by `lead`.
    assessment = import_assessment(None, document)
    Membership.objects.create(assessment=assessment, user=lead, role=Role.LEAD)
    services.set_rating_mode(
        actor=None, assessment=assessment, independent=True, reconciliation_open=True
    )
    reviews.add_comment(actor=lead, assessment=assessment, text="A thread")
    item = services.add_evidence(
        actor=None,
        assessment=assessment,
        question=Framework.objects.get(key="dgra").questions.get(key="1.1"),
        sign="+",
        text="Matrix evidence",
        source_kind="document",
    )
    services.update_evidence(
        actor=None,
        assessment=assessment,
        evidence_id=item.pk,
        expected_version=1,
        changes={"text": "Matrix evidence, edited"},
    )
    import_plan(None, {**PLAN, "assessment": slug})
    # A deleted action, for the restore cells.
    import_plan(
        None, {**PLAN, "assessment": slug, "actions": [{**PLAN["actions"][0], "key": "gone"}]}
    )
    delete_action(actor=None, assessment=assessment, key="gone", expected_version=1)
    Report.objects.create(
        assessment=assessment,
        format="html",
        language="en",
        status=Report.Status.DONE,
        content=b"<p>report</p>",
        file_name=f"{slug}.html",
    )
    for step in STEPS_TO[state]:
        reason = GAPS_REASON if step == State.PUBLISHED else ""
        reviews.move_to(actor=None, assessment=assessment, target=step, gaps_reason=reason)
    if state in PUBLISHED_ONCE:
        Report.objects.create(
            assessment=assessment,
            publication=assessment.publications.get(),
            format="pdf",
            language="vi",
            status=Report.Status.DONE,
            content=b"%PDF-",
            file_name=f"{slug}-v1-vi.pdf",
        )
    return assessment


def build_world() -> World:
    users = {name: User.objects.create_user(username=name, password="x") for name in PERSONAS[:5]}
    stranger = User.objects.create_user(username="stranger", password="x")
    assessments = {}
    for state in State:
        own = small_assessment(f"own-{state}", users["lead"], state)
        for name, role in MEMBER_ROLES.items():
            if name != "lead":
                Membership.objects.create(assessment=own, user=users[name], role=role)
        assessments[(state, True)] = own
        assessments[(state, False)] = small_assessment(f"other-{state}", stranger, state)
    return World(users, assessments)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Built once for the module inside a transaction that is rolled back at
    the end; every cell runs in its own nested transaction."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- the endpoints ---------------------------------------------------------------

Request = Callable[[World, Assessment, User | None], tuple[str, str, dict[str, Any]]]


def get(path: Callable[[World, Assessment], str]) -> Request:
    return lambda world, a, user: ("get", path(world, a), {})


def post(path: Callable[[World, Assessment], str], data: Callable[..., dict[str, Any]]) -> Request:
    return lambda world, a, user: ("post", path(world, a), {"data": data(world, a, user)})


def api_call(method: str, path: Callable[[World, Assessment], str], body: Any = None) -> Request:
    def build(world: World, a: Assessment, user: User | None) -> tuple[str, str, dict[str, Any]]:
        payload = body(world, a, user) if callable(body) else body
        extra: dict[str, Any] = {"content_type": "application/json"}
        if payload is not None:
            extra["data"] = json.dumps(payload, default=str)  # YAML dates
        return method, "/api/v1" + path(world, a), extra

    return build


def details_of(a: Assessment) -> dict[str, Any]:
    """The details form as the page fills it in, with a new title."""
    return {
        "title": "Renamed",
        "subject_kind": a.subject_kind,
        "subject_code": a.subject_code,
        "subject_name": a.subject_name,
        "version": a.version,
    }


def own_token(world: World, a: Assessment, user: User | None) -> int:
    if user is None:
        return 1
    token, _secret = create_token(user, "matrix")
    return token.pk


def own_notification(world: World, a: Assessment, user: User | None) -> int:
    """A notification of the caller's own (any id for anonymous)."""
    if user is None:
        return 1
    return notify(kind=Kind.ASSIGNED, recipients=[user], assessment=a, actor=None)[0].pk


def own_preferences(world: World, a: Assessment, user: User | None) -> dict[str, Any]:
    version = preferences_of(user).version if user is not None else 1
    return {"email_kinds": ["mentioned"], "version": version}


def inv(world: World, a: Assessment) -> str:
    """The address of the world's catalogue (made for the cell if need be)."""
    return f"inventory/catalogues/{world.catalogue(a).key}"


def api_catalogue(world: World, a: Assessment) -> str:
    """The API address of the world's catalogue, below the assessment's."""
    return f"catalogues/{world.catalogue(a).key}"


def api_dataset(world: World, a: Assessment) -> str:
    return f"{api_catalogue(world, a)}/datasets/{world.dataset(a).pk}"


def with_live_worker(world: World, a: Assessment) -> str:
    """The health check answers 200 (ok) while a worker beats; none runs here."""
    record_heartbeat("matrix", timezone.now())
    return "/healthz"


Q = "questions"
ENDPOINTS: dict[str, tuple[Callable[[str, bool, State], str], Request]] = {
    # web pages
    "home": (rule_public, get(lambda w, a: "/")),
    "login": (rule_public, get(lambda w, a: "/accounts/login/")),
    "healthz": (rule_public, get(with_live_worker)),
    "logout": (rule_to_login_page, post(lambda w, a: "/accounts/logout/", lambda w, a, u: {})),
    "set_language": (
        rule_public,
        post(lambda w, a: "/i18n/setlang/", lambda w, a, u: {"language": "vi", "next": "/"}),
    ),
    "assessments:list": (rule_authenticated, get(lambda w, a: "/assessments/")),
    "assessments:create": (
        rule_create,
        post(
            lambda w, a: "/assessments/new/",
            lambda w, a, u: {
                "title": "New",
                "slug": "new-one",
                "subject_kind": "country",
                "subject_code": "VN",
                "frameworks": [Framework.objects.get(key="dgra").pk],
            },
        ),
    ),
    "assessments:overview": (rule_read, get(lambda w, a: f"/assessments/{a.slug}/")),
    "assessments:dimension": (rule_read, get(lambda w, a: f"/assessments/{a.slug}/dgra/1/")),
    "assessments:question-history": (
        rule_read,
        get(lambda w, a: f"/assessments/{a.slug}/{Q}/{w.question(a).pk}/history/"),
    ),
    "assessments:reconcile": (
        rule_see_reconciliation,
        get(lambda w, a: f"/assessments/{a.slug}/dgra/1/reconcile/"),
    ),
    "assessments:add-evidence": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/{Q}/{w.question(a).pk}/evidence/",
            lambda w, a, u: {"sign": "+", "text": "t", "source_kind": "document"},
        ),
    ),
    "assessments:rate-question": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/{Q}/{w.question(a).pk}/rating/",
            lambda w, a, u: {"level": "red"},
        ),
    ),
    "assessments:record-verdict": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/dgra/1/verdict/",
            lambda w, a, u: {
                "level": "yellow",
                "override_reason": "matrix",
                "version": w.verdict_version(a),
            },
        ),
    ),
    "assessments:assignments": (
        rule_team,
        post(
            lambda w, a: f"/assessments/{a.slug}/assignments/",
            lambda w, a, u: {"username": "assessor", "target": "dgra:dimension:1"},
        ),
    ),
    "assessments:my-questions": (
        rule_read,
        get(lambda w, a: f"/assessments/{a.slug}/my-questions/"),
    ),
    "assessments:edit-evidence": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/evidence/{w.evidence(a).pk}/edit/",
            lambda w, a, u: {
                "sign": "+",
                "text": "edited in the matrix",
                "source_kind": "document",
                "version": w.evidence(a).version,
            },
        ),
    ),
    "assessments:delete-evidence": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/evidence/{w.evidence(a).pk}/delete/",
            lambda w, a, u: {"version": w.evidence(a).version, "confirm": "1"},
        ),
    ),
    "assessments:restore": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/history/{w.evidence_change(a).pk}/restore/",
            lambda w, a, u: {},
        ),
    ),
    "assessments:set-member": (
        rule_team,
        post(
            lambda w, a: f"/assessments/{a.slug}/team/",
            lambda w, a, u: {"username": "counterpart", "role": "counterpart"},
        ),
    ),
    "assessments:edit-details": (
        rule_edit_as_lead,
        post(lambda w, a: f"/assessments/{a.slug}/details/", lambda w, a, u: details_of(a)),
    ),
    "assessments:rating-mode": (
        rule_edit_as_lead,
        post(
            lambda w, a: f"/assessments/{a.slug}/rating-mode/",
            lambda w, a, u: {"independent": "1", "reconciliation_open": "1"},
        ),
    ),
    "reviews:add-comment": (
        rule_comment,
        post(lambda w, a: f"/assessments/{a.slug}/comments/", lambda w, a, u: {"text": "Hi"}),
    ),
    "reviews:resolve-thread": (
        rule_resolve,
        post(
            lambda w, a: f"/assessments/{a.slug}/comments/{w.thread(a)}/resolution/",
            lambda w, a, u: {"resolved": "1"},
        ),
    ),
    "reviews:move-workflow": (
        rule_workflow,
        post(
            lambda w, a: f"/assessments/{a.slug}/workflow/",
            lambda w, a, u: workflow_step(w.state),
        ),
    ),
    "reports:list": (
        rule_read,
        post(
            lambda w, a: f"/assessments/{a.slug}/reports/",
            lambda w, a, u: {"format": "docx", "language": "en"},
        ),
    ),
    "reports:jobs": (rule_read, get(lambda w, a: f"/assessments/{a.slug}/reports/jobs/")),
    "reports:download": (
        rule_read,
        get(lambda w, a: f"/assessments/{a.slug}/reports/{w.report(a)}/download/"),
    ),
    "reports:published-file": (
        rule_published_copy,
        get(lambda w, a: f"/published/{a.slug}/reports/{w.published_report(a)}/"),
    ),
    "reports:preview": (rule_read, get(lambda w, a: f"/assessments/{a.slug}/report/?lang=vi")),
    "actionplans:plan": (rule_read, get(lambda w, a: f"/assessments/{a.slug}/plan/")),
    "actionplans:grid": (rule_read, get(lambda w, a: f"/assessments/{a.slug}/plan/grid/")),
    "actionplans:action-list": (
        rule_read,
        get(lambda w, a: f"/assessments/{a.slug}/plan/list/?overdue=false&sort=-key"),
    ),
    "assessments:evidence-list": (
        rule_read,
        get(lambda w, a: f"/assessments/{a.slug}/evidence/?sign=%2B&sort=-date"),
    ),
    "actionplans:export-xlsx": (
        rule_read,
        get(lambda w, a: f"/assessments/{a.slug}/plan/export.xlsx"),
    ),
    "actionplans:add-action": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/plan/actions/",
            lambda w, a, u: {
                "key": "web-1",
                "title": "From the web",
                "dimension": Framework.objects.get(key="dgra").dimensions.get(key="1").pk,
                "phase": "short",
                "responsible": "OoG",
                "start_month": "1",
                "duration_months": "2",
            },
        ),
    ),
    "actionplans:edit-action": (
        rule_edit,
        get(lambda w, a: f"/assessments/{a.slug}/plan/matrix-1/edit/"),
    ),
    "actionplans:delete-action": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/plan/matrix-1/delete/",
            lambda w, a, u: {"version": w.action_version(a), "confirmed": "yes"},
        ),
    ),
    "actionplans:restore-action": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/plan/deleted/{w.deleted_action(a)}/restore/",
            lambda w, a, u: {},
        ),
    ),
    "actionplans:progress": (
        rule_track,
        post(
            lambda w, a: f"/assessments/{a.slug}/plan/matrix-1/progress/",
            lambda w, a, u: {
                "date": "2019-06-01",
                "percent": "10",
                "status": "in_progress",
                "note": "Started",
            },
        ),
    ),
    "actionplans:import-xlsx": (
        rule_edit,
        post(lambda w, a: f"/assessments/{a.slug}/plan/import/", lambda w, a, u: {}),
    ),
    "reviews:published-list": (rule_public, get(lambda w, a: "/published/")),
    "reviews:published": (rule_published_copy, get(lambda w, a: f"/published/{a.slug}/")),
    "accounts:tokens": (rule_authenticated, get(lambda w, a: "/account/tokens/")),
    "accounts:revoke-token": (
        rule_authenticated,
        lambda w, a, u: ("post", f"/account/tokens/{own_token(w, a, u)}/revoke/", {}),
    ),
    "catalogues:inventory": (
        rule_read,
        get(lambda w, a: f"/assessments/{a.slug}/inventory/?recommendation=quick_win&sort=-stars"),
    ),
    "catalogues:summary": (
        rule_read,
        get(lambda w, a: f"/assessments/{a.slug}/inventory/summary/"),
    ),
    "catalogues:export": (
        rule_read,
        get(lambda w, a: f"/assessments/{a.slug}/inventory/export/csv/"),
    ),
    "catalogues:catalogue": (
        rule_read,
        get(lambda w, a: f"/assessments/{a.slug}/inventory/catalogues/{w.catalogue(a).key}/"),
    ),
    "catalogues:dataset": (
        rule_read,
        get(lambda w, a: f"/assessments/{a.slug}/{inv(w, a)}/datasets/{w.dataset(a).pk}/"),
    ),
    "catalogues:run": (
        rule_read,
        get(lambda w, a: f"/assessments/{a.slug}/{inv(w, a)}/runs/{w.catalogue_run(a)}/"),
    ),
    "catalogues:catalogue-add": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/inventory/new-catalogue/",
            lambda w, a, u: {"key": "web-portal", "title": "From the web", "kind": "ckan"},
        ),
    ),
    "catalogues:catalogue-edit": (
        rule_edit,
        get(lambda w, a: f"/assessments/{a.slug}/{inv(w, a)}/edit/"),
    ),
    "catalogues:dataset-add": (
        rule_edit,
        get(lambda w, a: f"/assessments/{a.slug}/{inv(w, a)}/datasets/new/?access=not_online"),
    ),
    "catalogues:dataset-edit": (
        rule_edit,
        get(lambda w, a: f"/assessments/{a.slug}/{inv(w, a)}/datasets/{w.dataset(a).pk}/edit/"),
    ),
    "catalogues:catalogue-delete": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/{inv(w, a)}/delete/",
            lambda w, a, u: {"version": w.catalogue(a).version},
        ),
    ),
    "catalogues:dataset-delete": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/{inv(w, a)}/datasets/{w.dataset(a).pk}/delete/",
            lambda w, a, u: {"version": w.dataset(a).version},
        ),
    ),
    "catalogues:import": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/{inv(w, a)}/import/",
            lambda w, a, u: {"file": inventory_csv_upload()},
        ),
    ),
    "catalogues:harvest": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/{inv(w, a)}/harvest/",
            lambda w, a, u: {
                "url": "https://data.example.org/api/3/action/",
                "max_datasets": "10",
                "max_seconds": "10",
            },
        ),
    ),
    "catalogues:link-check": (
        rule_edit,
        post(lambda w, a: f"/assessments/{a.slug}/{inv(w, a)}/link-check/", lambda w, a, u: {}),
    ),
    "catalogues:cite": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/inventory/cite/",
            lambda w, a, u: {"kind": "count", "question": w.question(a).pk},
        ),
    ),
    "fieldwork:xlsform": (rule_authenticated, get(lambda w, a: "/frameworks/dgra/2018/xlsform/")),
    "fieldwork:submissions": (
        rule_read,
        get(lambda w, a: f"/assessments/{a.slug}/submissions/?status=proposed"),
    ),
    "fieldwork:imports": (
        rule_read,
        get(lambda w, a: f"/assessments/{a.slug}/submissions/imports/"),
    ),
    "fieldwork:import": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/submissions/import/",
            lambda w, a, u: {"file": submissions_csv_upload()},
        ),
    ),
    "fieldwork:accept": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/submissions/proposals/{w.proposal(a).pk}/accept/",
            lambda w, a, u: w.proposal_decision(a),
        ),
    ),
    "fieldwork:dismiss": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/submissions/proposals/{w.proposal(a).pk}/dismiss/",
            lambda w, a, u: {"version": w.proposal(a).version},
        ),
    ),
    "fieldwork:missions": (rule_read, get(lambda w, a: f"/assessments/{a.slug}/missions/")),
    "fieldwork:mission-add": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/missions/new/",
            lambda w, a, u: {
                "key": "second",
                "name": "Second mission",
                "start_date": "2018-02-01",
                "end_date": "2018-02-03",
            },
        ),
    ),
    "fieldwork:coverage": (
        rule_read,
        get(lambda w, a: f"/assessments/{a.slug}/missions/coverage/"),
    ),
    "fieldwork:people": (
        rule_team_read,
        get(lambda w, a: f"/assessments/{a.slug}/missions/people/"),
    ),
    "fieldwork:person-add": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/missions/people/new/",
            lambda w, a, u: {"name": "Someone Met", "consent": "oral"},
        ),
    ),
    "fieldwork:person-edit": (
        rule_team_read,
        get(lambda w, a: f"/assessments/{a.slug}/missions/people/{w.person(a).pk}/"),
    ),
    "fieldwork:person-attend": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/missions/people/{w.person(a).pk}/meetings/",
            lambda w, a, u: {"meeting": w.meeting(a).pk, "action": "attend"},
        ),
    ),
    "fieldwork:person-export": (
        rule_team_read,
        get(lambda w, a: f"/assessments/{a.slug}/missions/people/{w.person(a).pk}/export/"),
    ),
    "fieldwork:person-erase": (
        rule_erase,
        post(
            lambda w, a: f"/assessments/{a.slug}/missions/people/{w.person(a).pk}/erase/",
            lambda w, a, u: {},
        ),
    ),
    "fieldwork:mission": (
        rule_read,
        get(lambda w, a: f"/assessments/{a.slug}/missions/{w.mission(a).key}/"),
    ),
    "fieldwork:mission-edit": (
        rule_edit,
        get(lambda w, a: f"/assessments/{a.slug}/missions/{w.mission(a).key}/edit/"),
    ),
    "fieldwork:meeting-add": (
        rule_edit,
        get(lambda w, a: f"/assessments/{a.slug}/missions/{w.mission(a).key}/meetings/new/"),
    ),
    "fieldwork:meeting": (
        rule_read,
        get(lambda w, a: f"/assessments/{a.slug}/missions/matrix/meetings/{w.meeting(a).pk}/"),
    ),
    "fieldwork:meeting-cite": (
        rule_edit,
        post(
            lambda w, a: f"/assessments/{a.slug}/missions/matrix/meetings/{w.meeting(a).pk}/cite/",
            lambda w, a, u: {
                "question": w.question(a).pk,
                "passage": "The strategy is adopted.",
                "sign": "+",
            },
        ),
    ),
    "fieldwork:meeting-edit": (
        rule_edit,
        get(lambda w, a: f"/assessments/{a.slug}/missions/matrix/meetings/{w.meeting(a).pk}/edit/"),
    ),
    "notifications:list": (rule_authenticated, get(lambda w, a: "/notifications/?unread=true")),
    "notifications:read": (
        rule_authenticated,
        lambda w, a, u: ("post", f"/notifications/{own_notification(w, a, u)}/read/", {}),
    ),
    "notifications:read-all": (
        rule_authenticated,
        post(lambda w, a: "/notifications/read/", lambda w, a, u: {}),
    ),
    "notifications:preferences": (
        rule_authenticated,
        get(lambda w, a: "/notifications/preferences/"),
    ),
    "frameworks:list": (rule_authenticated, get(lambda w, a: "/frameworks/")),
    "registry:index": (rule_authenticated, get(lambda w, a: "/registry/")),
    "registry:jurisdiction-options": (
        rule_authenticated,
        get(lambda w, a: "/registry/jurisdictions/options/?field=q&q=ha+noi"),
    ),
    "registry:organisations": (rule_authenticated, get(lambda w, a: "/registry/organisations/VN/")),
    "registry:organisations-export": (
        rule_authenticated,
        get(lambda w, a: "/registry/organisations/VN/export.csv"),
    ),
    "registry:organisation-add": (
        rule_register_owner,
        get(lambda w, a: "/registry/organisations/VN/add/"),
    ),
    "registry:organisation-edit": (
        rule_register_owner,
        get(lambda w, a: "/registry/organisations/VN/MIC/edit/"),
    ),
    "registry:organisation-delete": (
        rule_register_owner,
        post(
            lambda w, a: "/registry/organisations/VN/ODTT/delete/",
            lambda w, a, u: {"version": 1},
        ),
    ),
    "registry:organisations-import": (
        rule_register_owner,
        post(
            lambda w, a: "/registry/organisations/VN/import/",
            lambda w, a, u: {"file": register_csv_upload()},
        ),
    ),
    "frameworks:detail": (rule_authenticated, get(lambda w, a: "/frameworks/dgra/2018/")),
    "api:openapi-json": (rule_public, get(lambda w, a: "/api/v1/openapi.json")),
    # REST API
    "GET /frameworks": (rule_authenticated, api_call("get", lambda w, a: "/frameworks")),
    "GET /frameworks/{key}/{version}": (
        rule_authenticated,
        api_call("get", lambda w, a: "/frameworks/dgra/2018"),
    ),
    "GET /frameworks/{key}/{version}/xlsform": (
        rule_authenticated,
        api_call("get", lambda w, a: "/frameworks/dgra/2018/xlsform"),
    ),
    "GET /assessments": (rule_authenticated, api_call("get", lambda w, a: "/assessments")),
    "POST /assessments": (
        rule_create,
        api_call(
            "post",
            lambda w, a: "/assessments",
            {
                "slug": "api-new",
                "title": "New",
                "subject": {"kind": "country", "code": "VN"},
                "frameworks": [{"key": "dgra", "version": "2018"}],
            },
        ),
    ),
    "POST /assessments/import": (
        rule_create,
        api_call("post", lambda w, a: "/assessments/import", SMALL_DOCUMENT),
    ),
    "GET /assessments/{slug}": (rule_read, api_call("get", lambda w, a: f"/assessments/{a.slug}")),
    "GET /assessments/{slug}/export": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/export"),
    ),
    "GET /assessments/{slug}/evidence": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/evidence"),
    ),
    "POST /assessments/{slug}/evidence": (
        rule_edit,
        api_call(
            "post",
            lambda w, a: f"/assessments/{a.slug}/evidence",
            {
                "framework": "dgra",
                "question": "1.1",
                "sign": "+",
                "text": "t",
                "source_kind": "document",
            },
        ),
    ),
    "PATCH /assessments/{slug}/evidence/{evidence_id}": (
        rule_edit,
        api_call(
            "patch",
            lambda w, a: f"/assessments/{a.slug}/evidence/{w.evidence(a).pk}",
            lambda w, a, u: {"version": w.evidence(a).version, "text": "changed"},
        ),
    ),
    "DELETE /assessments/{slug}/evidence/{evidence_id}": (
        rule_edit,
        api_call(
            "delete",
            lambda w, a: (
                f"/assessments/{a.slug}/evidence/{w.evidence(a).pk}?version={w.evidence(a).version}"
            ),
        ),
    ),
    "GET /assessments/{slug}/ratings": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/ratings"),
    ),
    "PUT /assessments/{slug}/ratings/{framework}/{question}": (
        rule_edit,
        api_call("put", lambda w, a: f"/assessments/{a.slug}/ratings/dgra/1.1", {"level": "red"}),
    ),
    "GET /assessments/{slug}/verdicts": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/verdicts"),
    ),
    "PUT /assessments/{slug}/verdicts/{framework}/{dimension}": (
        rule_edit,
        api_call(
            "put",
            lambda w, a: f"/assessments/{a.slug}/verdicts/dgra/1",
            lambda w, a, u: {
                "level": "yellow",
                "override_reason": "matrix",
                "version": w.verdict_version(a),
            },
        ),
    ),
    "GET /assessments/{slug}/team": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/team"),
    ),
    "PUT /assessments/{slug}/team/{username}": (
        rule_team,
        api_call(
            "put", lambda w, a: f"/assessments/{a.slug}/team/counterpart", {"role": "counterpart"}
        ),
    ),
    "GET /assessments/{slug}/assignments": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/assignments"),
    ),
    "POST /assessments/{slug}/assignments": (
        rule_team,
        api_call(
            "post",
            lambda w, a: f"/assessments/{a.slug}/assignments",
            {"username": "assessor", "framework": "dgra", "question": "1.2"},
        ),
    ),
    "DELETE /assessments/{slug}/assignments/{assignment_id}": (
        rule_team,
        api_call("delete", lambda w, a: f"/assessments/{a.slug}/assignments/{w.assignment(a)}"),
    ),
    "GET /assessments/{slug}/my-questions": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/my-questions"),
    ),
    "DELETE /assessments/{slug}/team/{username}": (
        rule_team,
        api_call("delete", lambda w, a: f"/assessments/{a.slug}/team/counterpart"),
    ),
    "PUT /assessments/{slug}/details": (
        rule_edit_as_lead,
        api_call(
            "put",
            lambda w, a: f"/assessments/{a.slug}/details",
            lambda w, a, u: {
                "version": a.version,
                "title": "Renamed",
                "subject": {"kind": a.subject_kind, "code": a.subject_code},
            },
        ),
    ),
    "GET /assessments/{slug}/readiness": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/readiness"),
    ),
    "PUT /assessments/{slug}/rating-mode": (
        rule_edit_as_lead,
        api_call(
            "put",
            lambda w, a: f"/assessments/{a.slug}/rating-mode",
            {"independent": True, "reconciliation_open": True},
        ),
    ),
    "GET /assessments/{slug}/history/{framework}/{question}": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/history/dgra/1.1"),
    ),
    "POST /assessments/{slug}/changes/{change_id}/restore": (
        rule_edit,
        api_call(
            "post", lambda w, a: f"/assessments/{a.slug}/changes/{w.evidence_change(a).pk}/restore"
        ),
    ),
    "GET /assessments/{slug}/reconciliation/{framework}/{dimension}": (
        rule_see_reconciliation,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/reconciliation/dgra/1"),
    ),
    "PUT /assessments/{slug}/agreed-ratings/{framework}/{question}": (
        rule_edit_as_lead,
        api_call(
            "put",
            lambda w, a: f"/assessments/{a.slug}/agreed-ratings/dgra/1.1",
            lambda w, a, u: {
                "level": "red",
                "version": a.ratings.get(
                    question__framework__key="dgra", question__key="1.1"
                ).version,
            },
        ),
    ),
    "GET /assessments/{slug}/workflow": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/workflow"),
    ),
    "POST /assessments/{slug}/workflow": (
        rule_workflow,
        api_call(
            "post",
            lambda w, a: f"/assessments/{a.slug}/workflow",
            lambda w, a, u: workflow_step(w.state),
        ),
    ),
    "GET /assessments/{slug}/comments": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/comments"),
    ),
    "POST /assessments/{slug}/comments": (
        rule_comment,
        api_call("post", lambda w, a: f"/assessments/{a.slug}/comments", {"text": "Hi"}),
    ),
    "POST /assessments/{slug}/comments/{comment_id}/resolution": (
        rule_resolve,
        api_call(
            "post",
            lambda w, a: f"/assessments/{a.slug}/comments/{w.thread(a)}/resolution",
            {"resolved": True},
        ),
    ),
    "GET /assessments/{slug}/plan": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/plan"),
    ),
    "GET /assessments/{slug}/plan/actions": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/plan/actions?limit=2"),
    ),
    "POST /assessments/{slug}/plan/import": (
        rule_edit,
        api_call(
            "post",
            lambda w, a: f"/assessments/{a.slug}/plan/import",
            {**PLAN, "actions": [{**PLAN["actions"][0], "key": "matrix-2"}]},
        ),
    ),
    "PUT /assessments/{slug}/plan/{key}/schedule": (
        rule_edit,
        api_call(
            "put",
            lambda w, a: f"/assessments/{a.slug}/plan/matrix-1/schedule",
            lambda w, a, u: {
                "start_month": 2,
                "duration_months": 3,
                "version": a.actions.get(key="matrix-1").version,
            },
        ),
    ),
    "PATCH /assessments/{slug}/plan/{key}": (
        rule_edit,
        api_call(
            "patch",
            lambda w, a: f"/assessments/{a.slug}/plan/matrix-1",
            lambda w, a, u: {"title": "Renamed", "version": w.action_version(a)},
        ),
    ),
    "DELETE /assessments/{slug}/plan/{key}": (
        rule_edit,
        lambda w, a, u: (
            "delete",
            f"/api/v1/assessments/{a.slug}/plan/matrix-1?version={w.action_version(a)}",
            {},
        ),
    ),
    "GET /assessments/{slug}/plan/deleted": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/plan/deleted"),
    ),
    "POST /assessments/{slug}/plan/deleted/{change_id}/restore": (
        rule_edit,
        api_call(
            "post",
            lambda w, a: f"/assessments/{a.slug}/plan/deleted/{w.deleted_action(a)}/restore",
        ),
    ),
    "POST /assessments/{slug}/plan/{key}/progress": (
        rule_track,
        api_call(
            "post",
            lambda w, a: f"/assessments/{a.slug}/plan/matrix-1/progress",
            {"date": "2019-06-01", "note": "Started", "percent": 10, "status": "in_progress"},
        ),
    ),
    "GET /assessments/{slug}/plan.xlsx": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/plan.xlsx"),
    ),
    "POST /assessments/{slug}/plan.xlsx": (
        rule_edit,
        lambda w, a, u: (
            "post",
            f"/api/v1/assessments/{a.slug}/plan.xlsx",
            {"data": {"workbook": workbook_upload()}},
        ),
    ),
    "GET /assessments/{slug}/reports": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/reports"),
    ),
    "POST /assessments/{slug}/reports": (
        rule_read,
        api_call(
            "post",
            lambda w, a: f"/assessments/{a.slug}/reports",
            {"format": "pdf", "language": "vi"},
        ),
    ),
    "GET /assessments/{slug}/reports/{report_id}": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/reports/{w.report(a)}"),
    ),
    "GET /assessments/{slug}/reports/{report_id}/file": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/reports/{w.report(a)}/file"),
    ),
    "GET /published/{slug}/reports": (
        rule_published_copy,
        api_call("get", lambda w, a: f"/published/{a.slug}/reports"),
    ),
    "GET /published/{slug}/reports/{report_id}/file": (
        rule_published_copy,
        api_call("get", lambda w, a: f"/published/{a.slug}/reports/{w.published_report(a)}/file"),
    ),
    "GET /published": (rule_public, api_call("get", lambda w, a: "/published")),
    "GET /published/{slug}": (
        rule_published_copy,
        api_call("get", lambda w, a: f"/published/{a.slug}"),
    ),
    "GET /account/tokens": (rule_authenticated, api_call("get", lambda w, a: "/account/tokens")),
    "GET /changes": (rule_authenticated, api_call("get", lambda w, a: "/changes?limit=5")),
    "GET /notifications": (
        rule_authenticated,
        api_call("get", lambda w, a: "/notifications?limit=5"),
    ),
    "POST /notifications/read": (
        rule_authenticated,
        api_call("post", lambda w, a: "/notifications/read"),
    ),
    "POST /notifications/{notification_id}/read": (
        rule_authenticated,
        lambda w, a, u: ("post", f"/api/v1/notifications/{own_notification(w, a, u)}/read", {}),
    ),
    "GET /notifications/preferences": (
        rule_authenticated,
        api_call("get", lambda w, a: "/notifications/preferences"),
    ),
    "PUT /notifications/preferences": (
        rule_authenticated,
        api_call("put", lambda w, a: "/notifications/preferences", own_preferences),
    ),
    "POST /account/tokens": (
        rule_authenticated,
        api_call("post", lambda w, a: "/account/tokens", {"name": "matrix"}),
    ),
    "DELETE /account/tokens/{token_id}": (
        rule_authenticated,
        lambda w, a, u: ("delete", f"/api/v1/account/tokens/{own_token(w, a, u)}", {}),
    ),
    "GET /organisations/{country}": (
        rule_authenticated,
        api_call("get", lambda w, a: "/organisations/VN?q=bo"),
    ),
    "GET /organisations/{country}/export.csv": (
        rule_authenticated,
        api_call("get", lambda w, a: "/organisations/VN/export.csv"),
    ),
    "POST /organisations/{country}/import.csv": (
        rule_register_owner,
        lambda w, a, u: (
            "post",
            "/api/v1/organisations/VN/import.csv",
            {"data": {"file": register_csv_upload()}},
        ),
    ),
    "GET /organisations/{country}/{abbreviation}": (
        rule_authenticated,
        api_call("get", lambda w, a: "/organisations/VN/MIC"),
    ),
    "PUT /organisations/{country}/{abbreviation}": (
        rule_register_owner,
        api_call(
            "put",
            lambda w, a: "/organisations/VN/ODTT",
            {
                "abbreviation": "ODTT",
                "name": {"en": "Open Data technical team", "vi": "Nhóm kỹ thuật Dữ liệu mở"},
                "kind": "other",
                "version": 1,
            },
        ),
    ),
    "DELETE /organisations/{country}/{abbreviation}": (
        rule_register_owner,
        api_call("delete", lambda w, a: "/organisations/VN/ODTT?version=1"),
    ),
    "GET /jurisdictions": (
        rule_authenticated,
        api_call("get", lambda w, a: "/jurisdictions?q=ha+noi"),
    ),
    "GET /jurisdictions/{code}": (
        rule_authenticated,
        api_call("get", lambda w, a: "/jurisdictions/VN-HN"),
    ),
    "POST /organisations/{country}": (
        rule_register_owner,
        api_call(
            "post",
            lambda w, a: "/organisations/VN",
            {
                "abbreviation": "MoNew",
                "name": {"en": "Ministry of Novelty", "vi": "Bộ Mới"},
                "kind": "ministry",
            },
        ),
    ),
    # the open data inventory (readiness/catalogues/api.py)
    "GET /assessments/{slug}/catalogues": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/catalogues"),
    ),
    "POST /assessments/{slug}/catalogues": (
        rule_edit,
        api_call(
            "post",
            lambda w, a: f"/assessments/{a.slug}/catalogues",
            {"key": "api-new", "title": "New", "kind": "desk"},
        ),
    ),
    "GET /assessments/{slug}/catalogues/{key}": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/{api_catalogue(w, a)}"),
    ),
    "PATCH /assessments/{slug}/catalogues/{key}": (
        rule_edit,
        api_call(
            "patch",
            lambda w, a: f"/assessments/{a.slug}/{api_catalogue(w, a)}",
            {"version": 1, "title": "Renamed"},
        ),
    ),
    "DELETE /assessments/{slug}/catalogues/{key}": (
        rule_edit,
        api_call("delete", lambda w, a: f"/assessments/{a.slug}/{api_catalogue(w, a)}?version=1"),
    ),
    "GET /assessments/{slug}/catalogues/{key}/datasets": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/{api_catalogue(w, a)}/datasets"),
    ),
    "POST /assessments/{slug}/catalogues/{key}/datasets": (
        rule_edit,
        api_call(
            "post",
            lambda w, a: f"/assessments/{a.slug}/{api_catalogue(w, a)}/datasets",
            {"title": "Typed by hand"},
        ),
    ),
    "GET /assessments/{slug}/catalogues/{key}/datasets/{dataset_id}": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/{api_dataset(w, a)}"),
    ),
    "PATCH /assessments/{slug}/catalogues/{key}/datasets/{dataset_id}": (
        rule_edit,
        api_call(
            "patch",
            lambda w, a: f"/assessments/{a.slug}/{api_dataset(w, a)}",
            {"version": 1, "notes": "changed"},
        ),
    ),
    "DELETE /assessments/{slug}/catalogues/{key}/datasets/{dataset_id}": (
        rule_edit,
        api_call("delete", lambda w, a: f"/assessments/{a.slug}/{api_dataset(w, a)}?version=1"),
    ),
    "POST /assessments/{slug}/catalogues/{key}/import": (
        rule_edit,
        lambda w, a, u: (
            "post",
            f"/api/v1/assessments/{a.slug}/{api_catalogue(w, a)}/import",
            {"data": {"file": inventory_csv_upload()}},
        ),
    ),
    "POST /assessments/{slug}/catalogues/{key}/harvest": (
        rule_edit,
        api_call(
            "post",
            lambda w, a: f"/assessments/{a.slug}/{api_catalogue(w, a)}/harvest",
            {"url": "https://data.example.org/api/3/action/package_search"},
        ),
    ),
    "POST /assessments/{slug}/catalogues/{key}/link-check": (
        rule_edit,
        api_call("post", lambda w, a: f"/assessments/{a.slug}/{api_catalogue(w, a)}/link-check"),
    ),
    "GET /assessments/{slug}/catalogues/{key}/runs": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/{api_catalogue(w, a)}/runs"),
    ),
    "GET /assessments/{slug}/catalogues/{key}/runs/{run_id}": (
        rule_read,
        api_call(
            "get",
            lambda w, a: f"/assessments/{a.slug}/{api_catalogue(w, a)}/runs/{w.catalogue_run(a)}",
        ),
    ),
    "GET /assessments/{slug}/inventory/summary": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/inventory/summary"),
    ),
    "GET /assessments/{slug}/inventory/export": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/inventory/export?format=csv"),
    ),
    "POST /assessments/{slug}/inventory/citations": (
        rule_edit,
        api_call(
            "post",
            lambda w, a: f"/assessments/{a.slug}/inventory/citations",
            {"framework": "dgra", "question": "1.1", "kind": "count"},
        ),
    ),
    # offline field collection (readiness/fieldwork/api)
    "POST /assessments/{slug}/submissions": (
        rule_edit,
        lambda w, a, u: (
            "post",
            f"/api/v1/assessments/{a.slug}/submissions",
            {"data": {"file": submissions_csv_upload()}},
        ),
    ),
    "GET /assessments/{slug}/submissions/imports": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/submissions/imports"),
    ),
    "GET /assessments/{slug}/submissions/proposals": (
        rule_read,
        api_call(
            "get", lambda w, a: f"/assessments/{a.slug}/submissions/proposals?status=proposed"
        ),
    ),
    "POST /assessments/{slug}/submissions/proposals/{proposal_id}/accept": (
        rule_edit,
        api_call(
            "post",
            lambda w, a: f"/assessments/{a.slug}/submissions/proposals/{w.proposal(a).pk}/accept",
            lambda w, a, u: w.proposal_decision(a),
        ),
    ),
    "POST /assessments/{slug}/submissions/proposals/{proposal_id}/dismiss": (
        rule_edit,
        api_call(
            "post",
            lambda w, a: f"/assessments/{a.slug}/submissions/proposals/{w.proposal(a).pk}/dismiss",
            lambda w, a, u: {"version": w.proposal(a).version},
        ),
    ),
    # missions, meetings, the people met (readiness/fieldwork/api.py)
    "GET /assessments/{slug}/missions": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/missions"),
    ),
    "POST /assessments/{slug}/missions": (
        rule_edit,
        api_call(
            "post",
            lambda w, a: f"/assessments/{a.slug}/missions",
            {
                "key": "second",
                "name": "Second",
                "start_date": "2018-02-01",
                "end_date": "2018-02-03",
            },
        ),
    ),
    "GET /assessments/{slug}/missions/{key}": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/missions/{w.mission(a).key}"),
    ),
    "PATCH /assessments/{slug}/missions/{key}": (
        rule_edit,
        api_call(
            "patch",
            lambda w, a: f"/assessments/{a.slug}/missions/{w.mission(a).key}",
            lambda w, a, u: {"version": w.mission(a).version, "places": "Hanoi"},
        ),
    ),
    "GET /assessments/{slug}/missions/{key}/meetings": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/missions/{w.mission(a).key}/meetings"),
    ),
    "POST /assessments/{slug}/missions/{key}/meetings": (
        rule_edit,
        api_call(
            "post",
            lambda w, a: f"/assessments/{a.slug}/missions/{w.mission(a).key}/meetings",
            {"topics": "Budget"},
        ),
    ),
    "GET /assessments/{slug}/missions/{key}/meetings/{meeting_id}": (
        rule_read,
        api_call(
            "get", lambda w, a: f"/assessments/{a.slug}/missions/matrix/meetings/{w.meeting(a).pk}"
        ),
    ),
    "PATCH /assessments/{slug}/missions/{key}/meetings/{meeting_id}": (
        rule_edit,
        api_call(
            "patch",
            lambda w, a: f"/assessments/{a.slug}/missions/matrix/meetings/{w.meeting(a).pk}",
            lambda w, a, u: {"version": w.meeting(a).version, "topics": "Strategy and budget"},
        ),
    ),
    "POST /assessments/{slug}/missions/{key}/meetings/{meeting_id}/citations": (
        rule_edit,
        api_call(
            "post",
            lambda w, a: (
                f"/assessments/{a.slug}/missions/matrix/meetings/{w.meeting(a).pk}/citations"
            ),
            {"framework": "dgra", "question": "1.1", "passage": "The strategy is adopted."},
        ),
    ),
    "GET /assessments/{slug}/coverage": (
        rule_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/coverage"),
    ),
    "GET /assessments/{slug}/people": (
        rule_team_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/people"),
    ),
    "POST /assessments/{slug}/people": (
        rule_edit,
        api_call(
            "post",
            lambda w, a: f"/assessments/{a.slug}/people",
            {"name": "Someone Met", "consent": "oral"},
        ),
    ),
    "GET /assessments/{slug}/people/{person_id}": (
        rule_team_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/people/{w.person(a).pk}"),
    ),
    "PATCH /assessments/{slug}/people/{person_id}": (
        rule_edit,
        api_call(
            "patch",
            lambda w, a: f"/assessments/{a.slug}/people/{w.person(a).pk}",
            lambda w, a, u: {"version": w.person(a).version, "title": "Director"},
        ),
    ),
    "DELETE /assessments/{slug}/people/{person_id}": (
        rule_erase,
        api_call("delete", lambda w, a: f"/assessments/{a.slug}/people/{w.person(a).pk}"),
    ),
    "GET /assessments/{slug}/people/{person_id}/export": (
        rule_team_read,
        api_call("get", lambda w, a: f"/assessments/{a.slug}/people/{w.person(a).pk}/export"),
    ),
    "PUT /assessments/{slug}/people/{person_id}/meetings/{meeting_id}": (
        rule_edit,
        api_call(
            "put",
            lambda w, a: (
                f"/assessments/{a.slug}/people/{w.person(a).pk}/meetings/{w.meeting(a).pk}"
            ),
        ),
    ),
    "DELETE /assessments/{slug}/people/{person_id}/meetings/{meeting_id}": (
        rule_edit,
        api_call(
            "delete",
            lambda w, a: (
                f"/assessments/{a.slug}/people/{w.attendee(a).pk}/meetings/{w.meeting(a).pk}"
            ),
        ),
    ),
}
NOT_FOR_USERS = {"api:api-root"}  # ninja's own placeholder route


def web_route_names() -> set[str]:
    def walk(patterns: list[Any], namespace: str | None = None) -> set[str]:
        names: set[str] = set()
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    names |= walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
        return names

    return walk(get_resolver().url_patterns)


def api_operation_names() -> set[str]:
    schema = api.get_openapi_schema(path_prefix="")
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}


def test_every_endpoint_is_in_the_matrix() -> None:
    api_routes = {n for n in web_route_names() if n.startswith("api:")}
    listed_web = {n for n in ENDPOINTS if " " not in n}
    listed_api = {n for n in ENDPOINTS if " " in n}
    assert web_route_names() - api_routes - listed_web == set(), (
        "web routes missing from the matrix"
    )
    assert listed_web - web_route_names() == set(), "listed web routes that do not exist"
    assert api_operation_names() == listed_api
    # ninja names each operation's URL pattern after its function: exactly
    # the operations of the schema (which are checked against ENDPOINTS above).
    schema = api.get_openapi_schema(path_prefix="")
    operation_routes = {
        "api:" + op["operationId"].split("_api_", 1)[1]
        for ops in schema["paths"].values()
        for op in ops.values()
    }
    assert api_routes - NOT_FOR_USERS - {"api:openapi-json"} == operation_routes


def alerts(response: Any) -> list[str]:
    """The messages a page shows, for a readable failure."""
    text = response.content.decode(errors="replace")
    return re.findall(r'(?:role="alert"|class="error")[^>]*>(.*?)</', text, re.S) or [text[:300]]


def outcome(response: Any) -> str:
    if response.status_code == 401:
        return "login"
    if response.status_code in (301, 302) and "/accounts/login/" in response.get("Location", ""):
        return "login"
    if response.status_code in (403, 404, 409, 422):
        return str(response.status_code)
    if response.status_code < 400:
        return "ok"
    return str(response.status_code)


# Who may do what is decided in Python, the same on either database: the
# PostgreSQL pass runs the cells of an editable state and of publication
# (every endpoint, persona and membership) and leaves the other states (the
# second editable one, changes requested, among them) to the SQLite pass.
ON_EVERY_DATABASE = {State.DRAFT, State.PUBLISHED}
CELLS = [
    pytest.param(
        endpoint,
        persona,
        member,
        state,
        marks=[] if state in ON_EVERY_DATABASE else [pytest.mark.exhaustive],
    )
    for endpoint, (rule, _request) in ENDPOINTS.items()
    for state in ([State.DRAFT] if rule in STATELESS else list(State))
    for persona in PERSONAS
    for member in (True, False)
    if not (persona in {"outsider", "anonymous"} and not member)  # they have no "own"
]


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "persona", "member", "state"), CELLS)
def test_the_matrix(world: World, endpoint: str, persona: str, member: bool, state: State) -> None:
    world.state = state
    rule, request = ENDPOINTS[endpoint]
    user = world.users.get(persona)
    client = Client(raise_request_exception=True)
    if user is not None:
        client.force_login(user)
    # An outsider's "own" assessment is one where they are not a member either.
    is_member = member and persona in MEMBER_ROLES
    method, path, kwargs = request(world, world.target(member), user)
    response = getattr(client, method)(path, **kwargs)
    expected = rule(persona, is_member, state)
    assert outcome(response) == expected, (
        f"{endpoint} as {persona} on {'own' if member else 'other'} {state}: "
        f"{response.status_code} {alerts(response)}"
    )
