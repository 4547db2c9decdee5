import datetime
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from readiness.actionplans import selectors, services, spreadsheet
from readiness.actionplans.models import Action, Organisation
from readiness.assessments import services as assessment_services
from readiness.core import readers, spreadsheets
from readiness.core.commands import actor_named, add_actor_argument
from readiness.core.errors import ServiceError


class Command(BaseCommand):
    help = "Action plans: import a plan file (docs/action-plan-format.md), show a plan."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("import", help="add the actions of a plan file, all or nothing")
        load.add_argument("file", type=Path)
        show = actions.add_parser("show", help="the actions, months and critical path")
        show.add_argument("slug")
        export = actions.add_parser("export-xlsx", help="write the plan as an XLSX workbook")
        export.add_argument("slug")
        export.add_argument("-o", "--output", type=Path, required=True)
        workbook = actions.add_parser("import-xlsx", help="add the actions of a workbook")
        workbook.add_argument("slug")
        workbook.add_argument("file", type=Path)
        progress = actions.add_parser("progress", help="report progress on an action")
        progress.add_argument("slug")
        progress.add_argument("key")
        progress.add_argument("--percent", type=int, required=True)
        progress.add_argument("--status", required=True, choices=Action.Status.values)
        progress.add_argument("--note", required=True)
        progress.add_argument("--date", type=datetime.date.fromisoformat, default=None)
        progress.add_argument("--evidence-url", default="")
        register = actions.add_parser(
            "add-organisation", help="add an organisation to a country's register (owners only)"
        )
        add_actor_argument(register)
        register.add_argument("country", help="ISO 3166-1 alpha-2, e.g. VN")
        register.add_argument("abbreviation")
        register.add_argument("--kind", required=True, choices=Organisation.Kind.values)
        register.add_argument("--name-en", required=True)
        register.add_argument("--name-vi", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "add-organisation":
                organisation = services.add_organisation(
                    actor_named(options["actor"]),
                    options["country"],
                    {
                        "abbreviation": options["abbreviation"],
                        "name": {"en": options["name_en"], "vi": options["name_vi"]},
                        "kind": options["kind"],
                    },
                )
                self.stdout.write(
                    f"added {organisation.abbreviation} to the register of "
                    f"{organisation.country_code}"
                )
                return
            if options["action"] == "import":
                path: Path = options["file"]
                data = readers.read_yaml(
                    readers.read_file(path, readers.MAX_PLAN_BYTES),
                    str(path),
                    max_bytes=readers.MAX_PLAN_BYTES,
                )
                created = services.import_plan(None, data, str(path))
                self.stdout.write(f"imported {len(created)} actions")
                return
            assessment = assessment_services.get_assessment(None, options["slug"])
            if options["action"] == "export-xlsx":
                options["output"].write_bytes(spreadsheet.export_plan(assessment))
                self.stdout.write(f"wrote {options['output']}")
                return
            if options["action"] == "import-xlsx":
                path = options["file"]
                with path.open("rb") as file:
                    data = spreadsheets.read_upload(file)
                created = spreadsheet.import_plan_workbook(None, assessment, data, str(path))
                self.stdout.write(f"imported {len(created)} actions")
                return
            if options["action"] == "progress":
                services.record_progress(
                    actor=None,
                    assessment=assessment,
                    key=options["key"],
                    date=options["date"] or datetime.date.today(),
                    note=options["note"],
                    percent=options["percent"],
                    status=options["status"],
                    evidence_url=options["evidence_url"],
                )
                self.stdout.write(f"recorded {options['percent']}% on {options['key']}")
                return
            view = selectors.plan(assessment)
        except OSError as error:
            raise CommandError(str(error)) from None
        except ServiceError as error:
            raise CommandError(f"nothing was changed:\n{error}") from None
        for action in view.actions:
            mark = "*" if action.key in view.critical else " "
            self.stdout.write(
                f"{mark} {action.key}\tmonths {action.start_month}-{action.end_month}\t"
                f"{action.phase}\t{action.responsible.abbreviation}\t{action.title}"
            )
        self.stdout.write(f"critical path (*): {' → '.join(view.critical)}")
