import datetime
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readiness.assessments import documents, selectors, services
from readiness.assessments.filters import AssessmentFilters, assessment_page
from readiness.assessments.models import Assessment
from readiness.core import readers
from readiness.core.commands import ReadinessCommand, actor_named, add_actor_argument
from readiness.core.errors import Forbidden, InvalidInput, NotFound, ServiceError
from readiness.core.filtering import PageQuery, read_query
from readiness.core.history import acting_user
from readiness.core.pagination import MAX_LIMIT

DETAILS = ["title", "subject_kind", "subject_code", "subject_name"]
DETAILS += ["period_start", "period_end", "description"]


class Command(ReadinessCommand):
    help = gettext_lazy("Export an assessment to JSON, import it back (docs/assessment-format.md).")

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help=_("the assessments (filters as in the API)"))
        listing.add_argument("--search", dest="q", help=_("words in the title or short name"))
        listing.add_argument("--state", help=_("a workflow state, e.g. draft"))
        listing.add_argument(
            "--subject", help=_("an ISO 3166 code or its beginning: VN finds VN-HN")
        )
        listing.add_argument("--framework", help=_("a framework's key"))
        listing.add_argument("--year", help=_("the assessed period includes this year"))
        listing.add_argument("--member", help=_("a team member's username"))
        listing.add_argument("--changed-since", help=_("created or changed since (ISO 8601)"))
        listing.add_argument(
            "--sort", help=_("a column, -column for descending (default -created)")
        )
        add_actor_argument(listing)
        export = actions.add_parser("export", help=_("write an assessment as JSON"))
        export.add_argument("slug")
        export.add_argument("-o", "--output", type=Path, help=_("file (default: standard output)"))
        load = actions.add_parser("import", help=_("create an assessment from a JSON document"))
        load.add_argument("file", type=Path)
        add_actor_argument(load)
        details = actions.add_parser(
            "details",
            help=_("show the details, or change them (what is not given stays)"),
        )
        details.add_argument("slug")
        details.add_argument("--title")
        details.add_argument("--subject-kind", choices=Assessment.SubjectKind.values)
        details.add_argument("--subject-code")
        details.add_argument("--subject-name")
        details.add_argument("--period-start", type=datetime.date.fromisoformat)
        details.add_argument("--period-end", type=datetime.date.fromisoformat)
        details.add_argument("--description")
        details.add_argument(
            "--based-on",
            type=int,
            metavar="VERSION",
            help=_("the version shown; required to change"),
        )
        add_actor_argument(details)
        assign = actions.add_parser(
            "assign",
            help=_("assign a dimension or one question to a team member (the lead)"),
        )
        assign.add_argument("slug")
        assign.add_argument("username")
        assign.add_argument("framework", help=_("a framework's key, e.g. dgra"))
        target = assign.add_mutually_exclusive_group(required=True)
        target.add_argument("--dimension", help=_("a dimension's key: all of its questions"))
        target.add_argument("--question", help=_("one question's key"))
        add_actor_argument(assign)
        unassign = actions.add_parser("unassign", help=_("remove an assignment by its id"))
        unassign.add_argument("slug")
        unassign.add_argument("id", type=int)
        add_actor_argument(unassign)
        assignments = actions.add_parser(
            "assignments",
            help=_("the assignments; with --mine, the questions of the --as user"),
        )
        assignments.add_argument("slug")
        assignments.add_argument("--mine", action="store_true")
        add_actor_argument(assignments)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            try:
                self.list(options)
            except InvalidInput as error:
                raise CommandError(str(error)) from None
        elif action == "export":
            try:
                text = documents.dumps(
                    documents.export_assessment(services.get_assessment(None, options["slug"]))
                )
            except NotFound as error:
                raise CommandError(str(error)) from None
            if options["output"]:
                options["output"].write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
        elif action in {"assign", "unassign", "assignments"}:
            try:
                self.assignments(action, options)
            except ServiceError as error:
                raise CommandError(str(error)) from None
        elif action == "details":
            try:
                self.details(options)
            except ServiceError as error:
                raise CommandError(str(error)) from None
        else:
            path: Path = options["file"]
            try:
                data = readers.read_json(
                    readers.read_file(path, readers.MAX_ASSESSMENT_BYTES),
                    str(path),
                    max_bytes=readers.MAX_ASSESSMENT_BYTES,
                )
                assessment = documents.import_assessment(
                    actor_named(options["actor"]), data, str(path)
                )
            except Forbidden as error:
                raise CommandError(
                    _("nothing was imported: %(error)s") % {"error": error}
                ) from None
            except InvalidInput as error:
                raise CommandError(
                    _("nothing was imported:\n%(errors)s") % {"errors": error}
                ) from None
            self.stdout.write(
                _("imported %(slug)s: %(title)s")
                % {"slug": assessment.slug, "title": assessment.title}
            )

    def list(self, options: dict[str, Any]) -> None:
        """Every assessment that matches, read a page at a time."""
        actor = actor_named(options["actor"])
        filters = read_query(AssessmentFilters, options)
        cursor = None
        while True:
            page = assessment_page(actor, filters, PageQuery(limit=MAX_LIMIT, cursor=cursor))
            for a in page.items:
                self.stdout.write(f"{a.slug}\t{a.title}")
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def details(self, options: dict[str, Any]) -> None:
        actor = actor_named(options["actor"])
        assessment = services.get_assessment(actor, options["slug"])
        changes = {name: options[name] for name in DETAILS if options[name] is not None}
        if changes:
            if options["based_on"] is None:
                raise CommandError(
                    _("--based-on VERSION: the version shown, to change the details")
                )
            values = {name: getattr(assessment, name) for name in DETAILS}
            assessment = services.update_details(
                actor=actor,
                assessment=assessment,
                expected_version=options["based_on"],
                **{**values, **changes},
            )
        self.stdout.write(f"version\t{assessment.version}")
        for name in DETAILS:
            value = getattr(assessment, name)
            self.stdout.write(f"{name}\t{'' if value is None else value}")

    def assignments(self, action: str, options: dict[str, Any]) -> None:
        actor = actor_named(options["actor"])
        assessment = services.get_assessment(actor, options["slug"])
        if action == "assign":
            made = services.assign(
                actor=actor,
                assessment=assessment,
                username=options["username"],
                framework_key=options["framework"],
                dimension_key=options["dimension"],
                question_key=options["question"],
            )
            self.stdout.write(_("assignment %(id)s") % {"id": made.pk})
        elif action == "unassign":
            services.unassign(actor=actor, assessment=assessment, assignment_id=options["id"])
            self.stdout.write(_("removed assignment %(id)s") % {"id": options["id"]})
        elif options["mine"]:
            for question in selectors.my_questions(assessment, acting_user(actor)):
                self.stdout.write(f"{question.framework.key}\t{question.key}")
        else:
            for item in selectors.assignments_of(assessment):
                shown = services.assignment_snapshot(item)
                target = (
                    _("dimension %(key)s") % {"key": shown["dimension"]}
                    if shown["dimension"]
                    else shown["question"]
                )
                self.stdout.write(f"{item.pk}\t{shown['username']}\t{shown['framework']}\t{target}")
